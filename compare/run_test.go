package compare

import (
	"path/filepath"
	"strings"
	"testing"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/results"
)

// resultsFile writes a real results file of n seconds with one request
// per second per endpoint, second i taking i+1 ms, the first `reset`
// seconds before a statistics reset; the last second lasts a fifth of a
// second.
func resultsFile(t *testing.T, n, reset int) string {
	t.Helper()
	r := &results.Results{Schema: results.Schema}
	all := []*metricsHist{newHist(), newHist()}
	for i := range n {
		h := newHist()
		_ = h.RecordValue(int64(i+1) * 1000)
		_ = h.RecordValue(int64(i+1) * 1000)
		_ = all[0].RecordValue(int64(i+1) * 1000)
		_ = all[1].RecordValue(int64(i+1) * 1000)
		iv := results.Interval{Index: i, DurationS: 1, Requests: 2, Errors: 1, Failures: 1,
			BeforeReset: i < reset, Hist: results.Histograms{Latency: encode(t, h)},
			Endpoints: []results.EndpointCount{{Requests: 1, Errors: 1, Failures: 1}, {Requests: 1}}}
		if i == n-1 {
			iv.DurationS = 0.2
		}
		r.Intervals = append(r.Intervals, iv)
	}
	for i, name := range []string{"GET /a", "GET /b"} {
		r.Endpoints = append(r.Endpoints, results.Endpoint{Name: name,
			Stats: results.Stats{Hist: results.Histograms{Latency: encode(t, all[i])}}})
	}
	sumAggregate(r)
	path := filepath.Join(t.TempDir(), "r.json")
	if err := results.WriteFile(path, r); err != nil {
		t.Fatal(err)
	}
	return path
}

// sumAggregate sets the counts of the aggregate and of the endpoints to
// the sums of the intervals the aggregate covers, as ReadFile holds a
// results file to.
func sumAggregate(r *results.Results) {
	a := &r.Aggregate
	a.Requests, a.Errors, a.Failures = 0, 0, 0
	for i := range r.Endpoints {
		e := &r.Endpoints[i]
		e.Requests, e.Errors, e.Failures = 0, 0, 0
	}
	for _, iv := range r.Intervals {
		if iv.BeforeReset {
			continue
		}
		a.Requests, a.Errors, a.Failures = a.Requests+iv.Requests, a.Errors+iv.Errors, a.Failures+iv.Failures
		for i, c := range iv.Endpoints {
			e := &r.Endpoints[i]
			e.Requests, e.Errors, e.Failures = e.Requests+c.Requests, e.Errors+c.Errors, e.Failures+c.Failures
		}
	}
}

type metricsHist = hdr.PackedHistogram

func newHist() *metricsHist { return metrics.NewHistogram() }

func encode(t *testing.T, h *metricsHist) string {
	s, err := metrics.EncodeHistogram(h)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func read(t *testing.T, path, window string) *Run {
	t.Helper()
	r, err := results.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := ParseWindow(window)
	if err != nil {
		t.Fatal(err)
	}
	run, err := FromResults("x", r, w)
	if err != nil {
		t.Fatal(err)
	}
	return run
}

func TestFromResultsKeepsTheWindowAfterTheReset(t *testing.T) {
	path := resultsFile(t, 40, 5)
	run := read(t, path, "")
	if len(run.Intervals) != 34 || run.Skipped != 6 {
		t.Fatalf("%d intervals, %d skipped; want 34 and 6 (5 before the reset, the short last one)", len(run.Intervals), run.Skipped)
	}
	// The short last second's requests are said, so the figures compared
	// can be told from the results file's.
	if run.ShortTail != 2 || !strings.Contains(runLine(RunInfo{Label: "x", ShortTail: run.ShortTail}), "(and 2 in its last fraction of a second, left out)") {
		t.Errorf("short tail %d requests, line %q", run.ShortTail, runLine(RunInfo{Label: "x", ShortTail: run.ShortTail}))
	}
	if p := metrics.Percentile(run.Intervals[0].Latency, 50).Milliseconds(); p != 6 {
		t.Errorf("first kept second's latency %d ms, want 6", p)
	}
	// 39.2 s long: 10s..-5s keeps seconds 10 to 33, whose ends are at
	// most 34.2 s.
	run = read(t, path, "10s..-5s")
	first := metrics.Percentile(run.Intervals[0].Latency, 50).Milliseconds()
	last := metrics.Percentile(run.Intervals[len(run.Intervals)-1].Latency, 50).Milliseconds()
	if first != 11 || last != 34 || run.Skipped != 40-24 || run.ShortTail != 0 {
		t.Errorf("window 10s..-5s: seconds %d to %d ms, %d skipped", first, last, run.Skipped)
	}
	if len(run.Endpoints) != 2 || run.Endpoints[1].Name != "GET /b" || run.Intervals[0].Endpoints[0].Errors != 1 {
		t.Errorf("endpoints %+v, counts %+v", run.Endpoints, run.Intervals[0].Endpoints)
	}
}

func TestFromResultsRejectsMismatchedEndpointCounts(t *testing.T) {
	r := &results.Results{Schema: results.Schema, Intervals: []results.Interval{{DurationS: 1,
		Endpoints: []results.EndpointCount{{Requests: 1}}}}}
	if _, err := FromResults("x", r, Window{}); err == nil || !strings.Contains(err.Error(), "endpoint counts") {
		t.Errorf("err = %v", err)
	}
}

func TestParseWindow(t *testing.T) {
	for in, want := range map[string]Window{
		"": {}, "30s..-10s": {30, -10}, "30s..": {30, 0}, "..2m": {0, 120}, "1m..90s": {60, 90},
	} {
		got, err := ParseWindow(in)
		if err != nil || got != want {
			t.Errorf("ParseWindow(%q) = %v, %v; want %v", in, got, err, want)
		}
		if back, _ := ParseWindow(got.String()); back != got {
			t.Errorf("%q does not survive String: %q", in, got.String())
		}
	}
	for _, bad := range []string{"30s", "-5s..", "40s..30s", "x..", "..y"} {
		if _, err := ParseWindow(bad); err == nil {
			t.Errorf("ParseWindow(%q) accepted", bad)
		}
	}
}

// TestWindowStringRounds: a bound of 1.001s, 1000999999.9999999 ns as
// seconds × 1e9, was truncated and written 1.000999999s.
func TestWindowStringRounds(t *testing.T) {
	for in, want := range map[string]string{"1.001s..": "1.001s..", "..-0.3s": "..-300ms", "1.7s..2.3s": "1.7s..2.3s"} {
		w, err := ParseWindow(in)
		if err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		if w.String() != want {
			t.Errorf("%q written as %q, want %q", in, w.String(), want)
		}
	}
}

// TestWindowStringLongestEnd: an end as far from the start as a duration
// goes (about 292 years) was written as the same length before the end,
// its seconds times 1e9 overflowing time.Duration.
func TestWindowStringLongestEnd(t *testing.T) {
	for _, in := range []string{"..2562047h47m16.854775807s", "1s..2562047h47m16.854775806s", "..-2562047h47m16.854775808s",
		"..410352h58m19.943661705s", "1678312h57m40.814825827s.."} {
		w, err := ParseWindow(in)
		if err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		if back, err := ParseWindow(w.String()); err != nil || back != w {
			t.Errorf("%q = {%v %v} written as %q reads back as {%v %v}, %v", in, w.From, w.To, w.String(), back.From, back.To, err)
		}
	}
}

// A run whose generator was its own bottleneck is named in the report's
// notes, with its spans; a run that kept up is not.
func TestCompareNotesAGeneratorBoundRun(t *testing.T) {
	path := resultsFile(t, 40, 0)
	doc := func(bound bool) *results.Results {
		r, err := results.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		r.Generator = &results.Generator{Verdict: "ok", Cores: 1}
		if bound {
			r.Generator = &results.Generator{Verdict: "generator-bound", Bound: true, Cores: 1,
				Spans: []results.GeneratorSpan{{FromS: 3, ToS: 10, Why: "busy"}}}
		}
		return r
	}
	base, err := FromResults("base.json", doc(false), Window{})
	if err != nil {
		t.Fatal(err)
	}
	head, err := FromResults("head.json", doc(true), Window{})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Compare(base, head, Options{})
	if err != nil {
		t.Fatal(err)
	}
	notes := strings.Join(rep.Notes, "\n")
	if !strings.Contains(notes, "head.json: Surge itself was the bottleneck from 3s to 10s (busy)") ||
		strings.Contains(notes, "base.json: Surge") {
		t.Errorf("notes:\n%s", notes)
	}
}

// Two runs of different plans (another rate after a change of the
// pipeline's RATE, say) are still compared, with a note that the load
// changed; runs of one plan, or files without a plan, get none.
func TestCompareNotesRunsOfDifferentPlans(t *testing.T) {
	path := resultsFile(t, 40, 0)
	run := func(label, plan string) *Run {
		return editedRun(t, path, label, func(r *results.Results) {
			if plan != "" {
				r.Plan = &results.Plan{SHA256: plan, Sequence: "0:1", Segment: "0:1"}
			}
		})
	}
	for _, tt := range []struct {
		base, head string
		noted      bool
	}{{"aa", "bb", true}, {"aa", "aa", false}, {"", "bb", false}} {
		rep, err := Compare(run("base.json", tt.base), run("head.json", tt.head), Options{Resamples: testResamples})
		if err != nil {
			t.Fatal(err)
		}
		notes := strings.Join(rep.Notes, "\n")
		if got := strings.Contains(notes, "base.json and head.json ran different plans"); got != tt.noted {
			t.Errorf("plans %q and %q: noted %v, want %v:\n%s", tt.base, tt.head, got, tt.noted, notes)
		}
	}
}

// Two runs that expected other statuses count their failures under two
// definitions: the same responses, failures in one and not in the other.
// Their failure rates are left out of the comparison, with a note, and
// the error rates still compared; runs of one definition, however
// spelled, keep every row.
func TestCompareLeavesOutFailureRatesOfOtherDefinitions(t *testing.T) {
	path := resultsFile(t, 40, 0)
	run := func(label, expect string, failures int64) *Run {
		return editedRun(t, path, label, func(r *results.Results) {
			r.Test.ExpectStatus = expect
			for i := range r.Intervals {
				r.Intervals[i].Failures = failures
				r.Intervals[i].Endpoints[1].Failures = failures - 1
			}
		})
	}
	for _, tt := range []struct {
		base, head string
		other      bool
	}{{"100-399", "200", true}, {"", "1xx,2xx,3xx", false}} {
		rep, err := Compare(run("base.json", tt.base, 1), run("head.json", tt.head, 2), Options{Resamples: testResamples})
		if err != nil {
			t.Fatal(err)
		}
		notes := strings.Join(rep.Notes, "\n")
		noted := strings.Contains(notes, "base.json expected the statuses 100-399 and head.json expected 200: "+
			"their failures are counted under different definitions, so the failure_rate rows and those of the requests that did not fail (ok_) are left out")
		var failureRows, errorRows int
		for _, r := range rep.Rows {
			switch r.Metric {
			case FailureRate:
				failureRows++
				if tt.other {
					t.Errorf("%s: a failure_rate row (%s) of runs with other expected statuses", r.Scope, r.Verdict)
				}
			case ErrorRate:
				errorRows++
			}
		}
		if noted != tt.other || errorRows != 3 || (!tt.other && failureRows != 3) {
			t.Errorf("%q against %q: noted %v, %d failure_rate rows, %d error_rate rows:\n%s",
				tt.base, tt.head, noted, failureRows, errorRows, notes)
		}
	}
}

// editedRun reads the results file at path, changes it with edit and
// makes it the run label.
func editedRun(t *testing.T, path, label string, edit func(*results.Results)) *Run {
	t.Helper()
	r, err := results.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	edit(r)
	out, err := FromResults(label, r, Window{})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
