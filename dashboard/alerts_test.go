package dashboard

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/surge-dev/surge/results"
)

// Alerts' changes of state go into the next frame (the latest
// MaxFrameAlerts, with the total), the history's marks, and the
// downloaded results and report.
func TestAlertsReachFramesHistoryAndDownloads(t *testing.T) {
	s, _, srv := newTestServer(t, "")
	snaps := snapshots()
	s.BeginRun(results.Test{Name: "t"})
	s.Publish(snaps[0], nil)
	var evs []results.AlertEvent
	for i := range MaxFrameAlerts + 5 {
		to := []string{"OK", "ALARM"}[i%2]
		evs = append(evs, results.AlertEvent{T: float64(i), Alert: "p99", From: "x", To: to, Reason: fmt.Sprint("change ", i)})
	}
	s.AddAlerts(evs)
	s.Publish(snaps[1], nil)
	resp, err := http.Get(srv.URL + "/api/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	events := readEvents(t, resp.Body, 2) // history, frame
	var f Frame
	if err := json.Unmarshal([]byte(events[1].data), &f); err != nil {
		t.Fatal(err)
	}
	if f.AlertsTotal != MaxFrameAlerts+5 || len(f.Alerts) != MaxFrameAlerts || f.Alerts[0].Reason != "change 5" ||
		f.Alerts[MaxFrameAlerts-1].Reason != fmt.Sprint("change ", MaxFrameAlerts+4) {
		t.Fatalf("frame alerts: total %d, %d carried, first %+v", f.AlertsTotal, len(f.Alerts), f.Alerts[0])
	}
	var history struct {
		Marks []struct{ T float64 } `json:"marks"`
	}
	if err := json.Unmarshal([]byte(events[0].data), &history); err != nil || len(history.Marks) != MaxFrameAlerts+5 {
		t.Fatalf("history marks: %v, %d", err, len(history.Marks))
	}
	_, body := get(t, srv.URL+"/api/results.json", nil)
	var r results.Results
	if err := json.Unmarshal([]byte(body), &r); err != nil || len(r.Alerts) != MaxFrameAlerts+5 {
		t.Fatalf("downloaded results: %v, %d alerts", err, len(r.Alerts))
	}
	if _, page := get(t, srv.URL+"/api/report.html", nil); !strings.Contains(page, `id="alerts"`) {
		t.Error("the downloaded report has no alerts section")
	}
	s.BeginRun(results.Test{Name: "next"})
	s.Publish(snaps[0], nil)
	if _, body := get(t, srv.URL+"/api/results.json", nil); strings.Contains(body, `"alerts"`) {
		t.Error("a new test shows the last one's alerts")
	}
}
