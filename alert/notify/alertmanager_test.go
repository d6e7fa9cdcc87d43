package notify

import (
	"context"
	"testing"
	"time"

	"github.com/surge-dev/surge/internal/amtest"
)

// The round trip through a real Alertmanager: Surge posts an alert to
// its API, firing then resolved, and the webhook receiver Alertmanager
// routes to gets both, with Surge's labels, times and fingerprint.
func TestAlertmanagerRoundTrip(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	rcv := amtest.NewReceiver(t)
	base, logs := amtest.Start(t, ctx, rcv.URL+"/hook")
	am := Alertmanager{URL: base}
	start := time.Now().UTC().Truncate(time.Second)
	a := Alert{
		Labels:       map[string]string{"alertname": "surge-roundtrip", "severity": "test", "endpoint": "GET /items"},
		Annotations:  map[string]string{"summary": "p99 above 300ms"},
		StartsAt:     start,
		GeneratorURL: "http://127.0.0.1:8089/",
	}
	if err := am.Post(ctx, a); err != nil {
		t.Fatalf("%v\n%s", err, logs.String())
	}
	firing := amtest.WaitFor(t, ctx, rcv, "firing", logs)

	a.EndsAt = time.Now().UTC().Truncate(time.Second)
	if err := am.Post(ctx, a); err != nil {
		t.Fatalf("%v\n%s", err, logs.String())
	}
	resolved := amtest.WaitFor(t, ctx, rcv, "resolved", logs)

	want, _ := NewMessage("surge-test", "", a) // what Surge's own webhook would have sent
	for name, m := range map[string]amtest.Documented{"firing": firing, "resolved": resolved} {
		if m.Version != "4" || m.Receiver != "surge-test" || m.GroupKey != want.GroupKey || len(m.Alerts) != 1 {
			t.Errorf("%s: version %q receiver %q groupKey %q (Surge writes %q), %d alerts",
				name, m.Version, m.Receiver, m.GroupKey, want.GroupKey, len(m.Alerts))
			continue
		}
		got := m.Alerts[0]
		if got.Fingerprint != a.Fingerprint() {
			t.Errorf("%s: Alertmanager's fingerprint %s, Surge's %s", name, got.Fingerprint, a.Fingerprint())
		}
		for k, v := range a.Labels {
			if got.Labels[k] != v {
				t.Errorf("%s: label %s = %q, want %q", name, k, got.Labels[k], v)
			}
		}
		if got.Annotations["summary"] != "p99 above 300ms" || got.GeneratorURL != a.GeneratorURL ||
			got.StartsAt != start.Format(time.RFC3339) || got.Status != name {
			t.Errorf("%s: %+v", name, got)
		}
	}
	// Surge's webhook writes a firing alert's end as Alertmanager does.
	if got, want := firing.Alerts[0].EndsAt, "0001-01-01T00:00:00Z"; got != want {
		t.Errorf("firing endsAt %s, want %s", got, want)
	}
	if got := resolved.Alerts[0].EndsAt; got != a.EndsAt.Format(time.RFC3339) {
		t.Errorf("resolved endsAt %s, want %s", got, a.EndsAt.Format(time.RFC3339))
	}
}
