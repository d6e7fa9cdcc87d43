//go:build surge_webui

package dashboard

import (
	"context"
	"testing"
	"time"

	"github.com/surge-dev/surge/internal/browsertest"
	"github.com/surge-dev/surge/metrics"
)

// An endpoint not called yet (a later step no VU has reached, one a
// failed VU never got to) has no latency: its row shows "–", as the
// terminal summary's "-" and the report's "–", not "0", which reads as a
// measured latency of nothing.
func TestEndpointNotCalledShowsNoLatencyInBrowser(t *testing.T) {
	s, _, srv := newTestServer(t, "")
	b := browsertest.Start(t, browsertest.Chromium(t))
	t0 := time.Unix(1700000000, 0)
	rec := metrics.NewRecorder([]string{"GET /a", "GET /never"}, 1, t0)
	for sec := 1; sec <= 2; sec++ {
		for i := range 50 {
			rec.Record(uint64(i), &metrics.Sample{Latency: 3 * time.Millisecond, Status: 200})
		}
		s.Publish(rec.Flush(t0.Add(time.Duration(sec)*time.Second), sec == 2), nil)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	session, consoleErrors := openDashboard(ctx, t, b, srv.URL+"/")
	const inspect = `(async () => {
	  const row = name => document.querySelector('#stats tr[data-endpoint="' + name + '"]');
	  for (let i = 0; i < 200 && !(row('GET /a') && row('GET /never')); i++) await new Promise(r => setTimeout(r, 50));
	  const cells = name => Array.from(row(name).cells, c => c.textContent);
	  return {a: cells('GET /a'), never: cells('GET /never')};
	})()`
	var got struct{ A, Never []string }
	if err := b.Evaluate(ctx, session, inspect, &got); err != nil {
		t.Fatal(err)
	}
	// name, requests, failures, median, p95, p99, max, …
	if len(got.A) < 7 || got.A[1] != "100" || got.A[3] != "3 ms" {
		t.Errorf("GET /a row %q, want 100 requests at 3 ms", got.A)
	}
	if len(got.Never) < 7 || got.Never[1] != "0" {
		t.Fatalf("GET /never row %q", got.Never)
	}
	for i, v := range got.Never[3:7] {
		if v != "–" {
			t.Errorf("GET /never latency cell %d = %q, want –", 3+i, v)
		}
	}
	if errs := consoleErrors(); len(errs) > 0 {
		t.Errorf("console errors: %v", errs)
	}
}
