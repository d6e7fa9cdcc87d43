package report

import (
	"strings"
	"testing"

	"github.com/surge-dev/surge/results"
)

// The alerts' changes of state are a table (also without charts) and
// marks in the timeline the charts draw.
func TestReportShowsAlertsChangesOfState(t *testing.T) {
	r := synth(t, 20, 10, "GET /")
	v, pct := 412.5, 2.5
	r.Alerts = []results.AlertEvent{
		{T: 4, Alert: "p99", From: "INSUFFICIENT_DATA", To: "OK", Reason: "0 of 1"},
		{T: 8, Alert: "p99", From: "OK", To: "ALARM", Value: &v, Unit: "ms", Reason: "1 of 1 datapoints <b>"},
		{T: 10, Alert: "errors", From: "OK", To: "ALARM", Value: &pct, Unit: "%", Reason: "1 of 1"},
	}
	page := renderString(t, r, Options{assets: fakeAssets()})
	for _, want := range []string{`id="alerts"`, "3 changes of state", "<td>OK → ALARM</td>", "413 ms", "2.5 %",
		"1 of 1 datapoints &lt;b&gt;", `<tr class="fail"><td class="num">8s</td><td>p99</td>`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	tl := embeddedData(t, page).Timeline
	if tl == nil || len(tl.Marks) != 3 || tl.Marks[1] != (Mark{T: 8, Label: "p99: OK → ALARM", State: "ALARM"}) {
		t.Fatalf("marks %+v", tl)
	}
	if strings.Contains(renderString(t, synth(t, 5, 10, "GET /"), Options{}), `id="alerts"`) {
		t.Error("an alerts section without alerts")
	}
	if !strings.Contains(renderString(t, r, Options{assets: nil}), "413 ms") {
		t.Error("no alerts table without charts")
	}
}

// A change of load from the dashboard is a table and a blue mark on the
// charts, beside the alerts' marks.
func TestReportShowsTheLoadChanges(t *testing.T) {
	r := synth(t, 20, 10, "GET /")
	r.Alerts = []results.AlertEvent{{T: 4, Alert: "p99", From: "INSUFFICIENT_DATA", To: "OK", Reason: "0 of 1"}}
	r.LoadChanges = []results.LoadChange{
		{T: 5, By: "dashboard", Model: "open", Rate: 30},
		{T: 12.5, By: "dashboard", Model: "closed", Users: 50, SpawnRate: 10},
	}
	page := renderString(t, r, Options{assets: fakeAssets()})
	for _, want := range []string{`id="load-changes"`, "Load changes: 2", "<td>30/s</td>", "<td>50 users (10/s)</td>",
		`<td class="num">5s</td><td>dashboard</td>`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	tl := embeddedData(t, page).Timeline
	if tl == nil || len(tl.Marks) != 3 ||
		tl.Marks[1] != (Mark{T: 5, Label: "load → 30/s (dashboard)", Color: loadColor}) ||
		tl.Marks[2] != (Mark{T: 12.5, Label: "load → 50 users (10/s) (dashboard)", Color: loadColor}) {
		t.Fatalf("marks %+v", tl)
	}
	if strings.Contains(renderString(t, synth(t, 5, 10, "GET /"), Options{}), `id="load-changes"`) {
		t.Error("a load section without a change")
	}
}
