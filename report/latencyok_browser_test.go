//go:build surge_webui

package report

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/surge-dev/surge/internal/browsertest"
	"github.com/surge-dev/surge/results"
)

// The latency chart draws the latency of the requests that did not fail
// (dotted, labelled "ok") when it differs from that of every request,
// and leaves it out where it is the same line: a run without failures.
func TestReportChartsTheLatencyOfTheRequestsThatDidNotFail(t *testing.T) {
	br := browsertest.Start(t, browserOrSkip(t))
	r := synth(t, 60, 200, "GET /")
	for i := range r.Intervals {
		iv := &r.Intervals[i]
		ok := iv.Latency
		iv.LatencyOK = &ok
	}
	labels := func(r *results.Results) []string {
		t.Helper()
		path := filepath.Join(t.TempDir(), "report.html")
		if err := WriteFile(path, r, Options{}); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		state, log := openReport(ctx, t, br, path)
		checkPage(t, state, log, "file://"+path, 10)
		var got []string
		const read = `SurgeReport.charts.filter(c => c.plot && c.plot.root.closest('#chart-latency'))[0].plot.series.map(s => s.label)`
		if err := br.Evaluate(ctx, log.session, read, &got); err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got := labels(r); slices.Contains(got, "p50 ok") {
		t.Errorf("nothing failed, yet the chart has %q", got)
	}
	for i := 20; i < 30; i++ { // fast failures, then none succeeding
		iv := &r.Intervals[i]
		iv.Failures = iv.Requests - 10
		iv.LatencyOK = &results.Latency{P50: 300, P95: 400, P99: 450, Sample: 10}
		if i >= 25 {
			iv.Failures, iv.LatencyOK = iv.Requests, &results.Latency{}
		}
	}
	if got := labels(r); !slices.Contains(got, "p50 ok") || !slices.Contains(got, "p99 ok") {
		t.Errorf("the chart's lines %q; want p50 ok to p99 ok", got)
	}
}
