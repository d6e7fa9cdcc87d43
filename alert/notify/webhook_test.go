package notify

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/surge-dev/surge/alert"
	"github.com/surge-dev/surge/internal/amtest"
)

var t0 = time.Date(2026, 7, 8, 9, 10, 11, 0, time.UTC)

func TestWebhookPayloadFiringThenResolved(t *testing.T) {
	rcv := amtest.NewReceiver(t)
	tr := Tracker{
		Labels:       map[string]string{"alertname": "items-p99", "severity": "page", "endpoint": "GET /items"},
		Annotations:  map[string]string{"summary": "p99 of GET /items above 300ms"},
		GeneratorURL: "http://127.0.0.1:8089/",
	}
	hook := Webhook{URL: rcv.URL, Receiver: "oncall", ExternalURL: "http://127.0.0.1:8089/"}
	firing, ok := tr.Transition(alert.Transition{At: t0, From: alert.StateOK, To: alert.StateAlarm, Reason: "3 of 3 breaching"})
	if !ok {
		t.Fatal("no alert on entering ALARM")
	}
	if _, again := tr.Transition(alert.Transition{At: t0.Add(time.Minute), From: alert.StateAlarm, To: alert.StateAlarm}); again {
		t.Error("an alarm still in ALARM fired twice")
	}
	resolved, ok := tr.Transition(alert.Transition{At: t0.Add(2 * time.Minute), From: alert.StateAlarm, To: alert.StateOK, Reason: "0 of 3 breaching"})
	if !ok {
		t.Fatal("no alert on leaving ALARM")
	}
	for _, a := range []Alert{firing, resolved} {
		if err := hook.Send(context.Background(), a); err != nil {
			t.Fatal(err)
		}
	}
	got, errs := rcv.Messages()
	if len(errs) > 0 || len(got) != 2 {
		t.Fatalf("receiver got %d messages, errors %v", len(got), errs)
	}
	for i, want := range []struct{ status, endsAt string }{
		{"firing", "0001-01-01T00:00:00Z"}, // as Alertmanager writes a firing alert's end
		{"resolved", "2026-07-08T09:12:11Z"},
	} {
		m := got[i]
		checks := map[string][2]string{
			"version":       {m.Version, "4"},
			"groupKey":      {m.GroupKey, `{}:{alertname="items-p99"}`},
			"status":        {m.Status, want.status},
			"receiver":      {m.Receiver, "oncall"},
			"externalURL":   {m.ExternalURL, "http://127.0.0.1:8089/"},
			"groupLabels":   {m.GroupLabels["alertname"], "items-p99"},
			"commonLabels":  {m.CommonLabels["severity"], "page"},
			"commonAnn.":    {m.CommonAnnotations["summary"], "p99 of GET /items above 300ms"},
			"alert status":  {m.Alerts[0].Status, want.status},
			"labels":        {m.Alerts[0].Labels["endpoint"], "GET /items"},
			"description":   {m.Alerts[0].Annotations["description"], "3 of 3 breaching"},
			"startsAt":      {m.Alerts[0].StartsAt, "2026-07-08T09:10:11Z"},
			"endsAt":        {m.Alerts[0].EndsAt, want.endsAt},
			"generatorURL":  {m.Alerts[0].GeneratorURL, "http://127.0.0.1:8089/"},
			"fingerprint":   {m.Alerts[0].Fingerprint, firing.Fingerprint()},
			"fingerprint 2": {m.Alerts[0].Fingerprint, resolved.Fingerprint()},
		}
		for field, c := range checks {
			if c[0] != c[1] {
				t.Errorf("message %d: %s = %q, want %q", i, field, c[0], c[1])
			}
		}
		if m.TruncatedAlerts != 0 || len(m.Alerts) != 1 || len(m.GroupLabels) != 1 {
			t.Errorf("message %d: %+v", i, m)
		}
	}
	if got[1].Alerts[0].Annotations["resolution"] != "OK: 0 of 3 breaching" {
		t.Errorf("resolution: %q", got[1].Alerts[0].Annotations["resolution"])
	}
	if len(firing.Fingerprint()) != 16 {
		t.Errorf("fingerprint %q: want 16 hex digits", firing.Fingerprint())
	}
}

func TestMessageGroupsAlerts(t *testing.T) {
	a := Alert{Labels: map[string]string{"alertname": "x", "endpoint": "a", "severity": "page"}, StartsAt: t0}
	b := Alert{Labels: map[string]string{"alertname": "x", "endpoint": "b", "severity": "page"}, StartsAt: t0, EndsAt: t0.Add(time.Second)}
	m, err := NewMessage("r", "", a, b)
	if err != nil {
		t.Fatal(err)
	}
	if m.Status != "firing" || len(m.CommonLabels) != 2 || m.CommonLabels["endpoint"] != "" || m.Alerts[1].Status != "resolved" {
		t.Errorf("%+v", m)
	}
	if _, err := NewMessage("r", ""); err == nil {
		t.Error("empty message accepted")
	}
	c := Alert{Labels: map[string]string{"alertname": "y"}}
	if _, err := NewMessage("r", "", a, c); err == nil {
		t.Error("two alertnames in one group accepted")
	}
}

func TestPostErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "bad alert", http.StatusBadRequest)
	}))
	defer srv.Close()
	a := Alert{Labels: map[string]string{"alertname": "x"}, StartsAt: t0}
	err := (&Webhook{URL: srv.URL}).Send(context.Background(), a)
	if err == nil || !strings.Contains(err.Error(), "400") || !strings.Contains(err.Error(), "bad alert") {
		t.Errorf("got %v", err)
	}
	err = (&Alertmanager{URL: "ftp://user:secret@127.0.0.1/"}).Post(context.Background(), a)
	if err == nil || strings.Contains(err.Error(), "secret") {
		t.Errorf("got %v", err)
	}
}
