package monitor

import (
	"context"
	"math"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

const exposition = `# HELP surge_lambda_concurrent_executions In-flight invocations.
# TYPE surge_lambda_concurrent_executions gauge
surge_lambda_concurrent_executions 17
# TYPE surge_lambda_throttles_total counter
surge_lambda_throttles_total{reason="ConcurrentInvocationLimitExceeded"} 5
surge_lambda_throttles_total{reason="ReservedFunctionConcurrentInvocationLimitExceeded"} 2
# TYPE req_seconds histogram
req_seconds_bucket{le="1"} 3
req_seconds_bucket{le="+Inf"} 4
req_seconds_sum 2.5
req_seconds_count 4
# TYPE go_goroutines gauge
go_goroutines 12
`

func TestParseAndSelect(t *testing.T) {
	all, err := Parse(strings.NewReader(exposition))
	if err != nil {
		t.Fatal(err)
	}
	if all["surge_lambda_concurrent_executions"] != 17 || all["req_seconds_count"] != 4 || all["req_seconds_sum"] != 2.5 {
		t.Fatalf("parsed %v", all)
	}
	tests := []struct {
		sel  []string
		want map[string]float64
	}{
		{[]string{"surge_lambda_throttles_total"}, map[string]float64{
			"surge_lambda_throttles_total":                                                             7,
			`surge_lambda_throttles_total{reason="ConcurrentInvocationLimitExceeded"}`:                 5,
			`surge_lambda_throttles_total{reason="ReservedFunctionConcurrentInvocationLimitExceeded"}`: 2,
		}},
		{[]string{"surge_lambda_concurrent_executions", "nope"}, map[string]float64{"surge_lambda_concurrent_executions": 17}},
	}
	for _, tt := range tests {
		got := Select(all, tt.sel)
		if len(got) != len(tt.want) {
			t.Fatalf("Select(%v) = %v", tt.sel, got)
		}
		for k, v := range tt.want {
			if got[k] != v {
				t.Errorf("Select(%v)[%s] = %v, want %v", tt.sel, k, got[k], v)
			}
		}
	}
	if _, ok := Select(all, nil)["go_goroutines"]; ok {
		t.Error("default selection kept go_ series")
	}
}

func TestParseRejectsGarbage(t *testing.T) {
	if _, err := Parse(strings.NewReader("this is { not prometheus")); err == nil {
		t.Fatal("garbage parsed")
	}
}

// TestParseSurvivesParserPanic: the text parser of prometheus/common
// (v0.72.0) panics (assignment to entry in nil map) on a summary's
// family followed by another and a series of the summary named in
// quotes; a target's /metrics page took the whole run down with it.
func TestParseSurvivesParserPanic(t *testing.T) {
	_, err := Parse(strings.NewReader("# TYPE b summary\na 0\n{\"b\",c=\"\"} 1\n"))
	if err == nil || !strings.Contains(err.Error(), "not Prometheus text") {
		t.Fatalf("err = %v, want a refusal", err)
	}
}

func TestMonitorScrapesPeriodically(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := n.Add(1)
		w.Write([]byte("# TYPE up gauge\nup " + strings.Repeat("1", int(v)) + "\n"))
	}))
	defer srv.Close()
	m, err := New(Config{URL: srv.URL, Interval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 400*time.Millisecond)
	defer cancel()
	m.Run(ctx)
	if n.Load() < 3 || m.Latest()["up"] < 11 {
		t.Fatalf("%d scrapes, latest %v", n.Load(), m.Latest())
	}
}

func TestMonitorCountsFailures(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no", http.StatusInternalServerError)
	}))
	defer srv.Close()
	m, _ := New(Config{URL: srv.URL})
	m.scrapeOnce(context.Background())
	if n, err := m.Errors(); n != 1 || err == nil || m.Latest() != nil {
		t.Fatalf("errors %d %v latest %v", n, err, m.Latest())
	}
	if _, err := New(Config{}); err == nil {
		t.Fatal("empty URL accepted")
	}
}

// plainKey is a series key Parse writes that the text format reads back
// as written: legacy names, label values of printable ASCII without
// escapes.
var plainKey = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="[^"\\\x00-\x1f\x7f-\x{10FFFF}]*"(,[a-zA-Z_][a-zA-Z0-9_]*="[^"\\\x00-\x1f\x7f-\x{10FFFF}]*")*\})?$`)

// FuzzParse: no input panics Parse; an accepted exposition gives keys
// that are a name or a name with labels in order, and its plain series
// written back as untyped samples read back with the same values.
func FuzzParse(f *testing.F) {
	f.Add(exposition)
	f.Add("x{a=\"b\"} 1\n")
	f.Add("# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_sum 3\nh_count 2\nh_sum{x=\"y\"} NaN\n")
	f.Add("# TYPE s summary\ns{quantile=\"0.5\"} 1\ns_sum -Inf\ns_count 1\n{\"a.b\",c=\"\\n\"} 1e308\n")
	f.Add("# TYPE b summary\na 0\n{\"b\",c=\"\"} 1\n") // panicked the parser
	f.Fuzz(func(t *testing.T, s string) {
		all, err := Parse(strings.NewReader(s))
		if err != nil {
			return
		}
		var b strings.Builder
		want := map[string]float64{}
		for k, v := range all {
			name, labels, hasLabels := strings.Cut(k, "{")
			if name == "" || (hasLabels && !strings.HasSuffix(labels, "}")) {
				t.Fatalf("%q: key %q", s, k)
			}
			if plainKey.MatchString(k) {
				b.WriteString(k + " " + strconv.FormatFloat(v, 'g', -1, 64) + "\n")
				want[k] = v
			}
		}
		back, err := Parse(strings.NewReader(b.String()))
		if err != nil || len(back) != len(want) {
			t.Fatalf("%q: its series written as\n%s\nread back as %v, %v", s, b.String(), back, err)
		}
		for k, v := range want {
			if got, ok := back[k]; !ok || math.Float64bits(got) != math.Float64bits(v) && !(math.IsNaN(got) && math.IsNaN(v)) {
				t.Fatalf("%q: %s = %v reads back as %v", s, k, v, got)
			}
		}
	})
}
