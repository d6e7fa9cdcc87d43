package console

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/results"
)

func snapshot(elapsed time.Duration, final bool) metrics.Snapshot {
	st := metrics.NewStats("")
	st.Requests = 100
	for i := range 100 {
		st.Latency.RecordValue(int64(i+1) * 1000)
	}
	return metrics.Snapshot{Elapsed: elapsed, Final: final, Total: st,
		Interval: metrics.Interval{Duration: time.Second, Stats: st, ActiveVUs: 7}}
}

func TestProgressPlainLinesArePaced(t *testing.T) {
	var buf bytes.Buffer
	p := &Progress{W: &buf, Total: 30 * time.Second, Every: 5 * time.Second}
	for s := 1; s <= 12; s++ {
		p.Update(snapshot(time.Duration(s)*time.Second, false))
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("want 2 lines in 12 s at one per 5 s, got %d:\n%s", len(lines), buf.String())
	}
	for _, want := range []string{"0:05/0:30", "rps 100", "p99 99ms", "vus 7"} {
		if !strings.Contains(lines[0], want) {
			t.Errorf("line %q lacks %q", lines[0], want)
		}
	}
	if strings.Contains(buf.String(), "\r") {
		t.Error("plain output must not redraw")
	}
}

func TestProgressTTYRedrawsWithETA(t *testing.T) {
	var buf bytes.Buffer
	p := &Progress{W: &buf, TTY: true, Total: 10 * time.Second}
	p.Update(snapshot(4*time.Second, false))
	p.Update(snapshot(10*time.Second, true))
	out := buf.String()
	if !strings.HasPrefix(out, "\r\033[K[========") || !strings.Contains(out, "ETA 0:06") || !strings.HasSuffix(out, "\n") {
		t.Fatalf("tty output %q", out)
	}
}

func TestSummaryTable(t *testing.T) {
	r := &results.Results{Test: results.Test{DurationS: 3}}
	r.Aggregate.Requests = 900
	r.Aggregate.Codes = map[string]int64{"200": 890, "503": 10}
	r.Aggregate.ErrorKind = map[string]int64{"ETIMEDOUT": 2}
	r.Aggregate.Latency = results.Latency{P50: 1.5, P99: 250, P999: 900, Max: 1200}
	r.Endpoints = []results.Endpoint{{Name: "GET /x", Stats: r.Aggregate.Stats}}
	var buf bytes.Buffer
	Summary(&buf, r)
	out := buf.String()
	for _, want := range []string{"p99.9", "GET /x", "900", "1.50ms", "250ms", "1200ms", "codes: 200=890 503=10", "errors: ETIMEDOUT=2"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
}
