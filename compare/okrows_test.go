package compare

import (
	"bytes"
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

func TestParseMetricReadsTheSuccessOnlyNames(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want Metric
		ok   bool
	}{
		{"ok_p50", OKP50, true}, {"ok_p99", OKP99, true}, {" OK_P99.9 ", OKP999, true}, {"ok_p999", OKP999, true},
		{"ok_mean", OKMean, true}, {"ok_p(99)", 0, false}, {"okp99", 0, false}, {"ok_throughput", 0, false},
		{"ok_failure_rate", 0, false}, {"latency_ok", 0, false},
	} {
		m, err := ParseMetric(tt.in)
		if (err == nil) != tt.ok || tt.ok && (m != tt.want || !m.IsOK() || m.allRequests().okOf() != m) {
			t.Errorf("ParseMetric(%q) = %v, %v; want %v, ok %v", tt.in, m, err, tt.want, tt.ok)
		}
	}
	if _, per, err := ParseMargins([]string{"ok_p99=10%"}); err != nil || per[OKP99].Relative != 0.1 {
		t.Errorf("--margin ok_p99=10%%: %v, %v", per, err)
	}
	if _, _, err := ParseMargins([]string{"ok_p99=1pp"}); err == nil {
		t.Error("--margin ok_p99=1pp: accepted percentage points on a latency")
	}
}

// mixRun is a run of 12 one-second intervals of 200 requests: failing of
// every 100 fail in 1 ms, the others succeed in okMs (spread ±10 % within
// a second, a few percent between seconds). known false leaves out the
// latency of the requests that did not fail, as a file of an earlier
// Surge does.
func mixRun(label string, failing int, okMs float64, known bool) *Run {
	run := &Run{Label: label}
	ep, epOK := newHist(), newHist()
	for i := range 12 {
		iv := Interval{Seconds: 1, Latency: newHist(), LatencyOK: newHist(), Endpoints: make([]Counts, 1)}
		for k := range 200 {
			c := Counts{Requests: 1}
			us := int64(1000 * (1 + 0.1*float64(k%7)/7))
			if k%100 >= failing {
				us = int64(1000 * okMs * (0.9 + 0.2*float64(k)/200) * (1 + 0.02*float64(i%3)))
				_ = iv.LatencyOK.RecordValue(us)
				_ = epOK.RecordValue(us)
			} else {
				c.Failures = 1
			}
			_ = iv.Latency.RecordValue(us)
			_ = ep.RecordValue(us)
			iv.Requests, iv.Failures = iv.Requests+1, iv.Failures+c.Failures
			iv.Endpoints[0] = iv.Endpoints[0].plus(c)
		}
		if !known {
			iv.LatencyOK = nil
		}
		run.Intervals = append(run.Intervals, iv)
	}
	run.Endpoints = []Endpoint{{Name: "GET /fn", Latency: ep, LatencyOK: epOK}}
	if !known {
		run.Endpoints[0].LatencyOK = nil
	}
	return run
}

// The ok_ rows appear only where a run failed requests and both runs
// hold their latency; a run in which none succeeded says so instead of a
// verdict, and opposite moves of the two latencies make a finding. The
// Mann-Whitney test of the successes appears with the rows, but not for
// a run without successes.
func TestSuccessOnlyRows(t *testing.T) {
	for _, tt := range []struct {
		name                   string
		base, head             *Run
		rows                   bool   // ok_ rows shown
		okP50                  string // the ok_p50 row's verdict, or its note
		note, finding, counted string // a note, the finding and the Holm count's text
	}{
		{name: "no failures: they would repeat the latency rows", base: mixRun("base", 0, 40, true),
			head: mixRun("head", 0, 20, true)},
		{name: "fewer fast failures, faster successes", base: mixRun("base", 70, 40, true), head: mixRun("head", 10, 20, true),
			rows: true, okP50: "improved", finding: "all: the latency of all requests looks worse (p50 +"},
		{name: "more fast failures, slower successes", base: mixRun("base", 10, 20, true), head: mixRun("head", 70, 40, true),
			rows: true, okP50: "regressed", finding: "all: the latency of all requests looks better (p50 -"},
		{name: "same failures, same successes", base: mixRun("base", 30, 20, true), head: mixRun("head", 30, 20, true),
			rows: true, okP50: "no change"},
		{name: "an older file", base: mixRun("base", 70, 40, false), head: mixRun("head", 10, 20, true),
			note: "base holds no latency of the requests that did not fail"},
		{name: "none succeeded in the head", base: mixRun("base", 10, 20, true), head: mixRun("head", 100, 20, true),
			rows: true, okP50: "no request succeeded in head"},
	} {
		rep := mustCompare(t, tt.base, tt.head, fast)
		ok := slices.ContainsFunc(rep.Rows, func(r Row) bool { return r.Metric.IsOK() })
		if ok != tt.rows {
			t.Errorf("%s: ok_ rows %v, want %v", tt.name, ok, tt.rows)
			continue
		}
		if tt.rows {
			r := rep.row(AllEndpoints, OKP50)
			got := r.Verdict.String()
			if r.Note != "" {
				got = r.Note
			}
			if got != tt.okP50 {
				t.Errorf("%s: ok_p50 %s (%s → %s), want %s", tt.name, got, value(OKP50, r.Base), value(OKP50, r.Head), tt.okP50)
			}
			if strings.HasPrefix(tt.okP50, "no request") && (r.Note != tt.okP50 || !math.IsNaN(r.P) || !math.IsNaN(r.Head)) {
				t.Errorf("%s: ok_p50 %+v; want the note %q, no test, no head value", tt.name, r, tt.okP50)
			}
		}
		// The Mann-Whitney test of the successes goes with the ok_ rows, and
		// with successes on both sides.
		okShifts, want := 0, 0
		for _, sh := range rep.Shifts {
			if sh.Latency == LatencyOK {
				okShifts++
			}
		}
		if tt.rows && !strings.HasPrefix(tt.okP50, "no request") {
			want = 1
		}
		if okShifts != want {
			t.Errorf("%s: %d tests of the successes' distribution, want %d", tt.name, okShifts, want)
		}
		if tt.note != "" && !slices.ContainsFunc(rep.Notes, func(n string) bool { return strings.HasPrefix(n, tt.note) }) {
			t.Errorf("%s: notes %q lack %q", tt.name, rep.Notes, tt.note)
		}
		if tt.finding == "" && len(rep.Findings) > 0 || tt.finding != "" && (len(rep.Findings) != 1 || !strings.HasPrefix(rep.Findings[0], tt.finding)) {
			t.Errorf("%s: findings %q, want %q", tt.name, rep.Findings, tt.finding)
		}
	}
}

// Other expected statuses make the successes of one run failures of the
// other: neither the failure rates nor the ok_ rows are compared.
func TestSuccessOnlyRowsNeedOneDefinitionOfFailure(t *testing.T) {
	base, head := mixRun("base", 70, 40, true), mixRun("head", 10, 20, true)
	base.Expected, head.Expected = "200-399", "200"
	rep := mustCompare(t, base, head, fast)
	for _, r := range rep.Rows {
		if r.Metric.IsOK() || r.Metric == FailureRate {
			t.Errorf("%s %s: compared across definitions of a failure", r.Scope, r.Metric)
		}
	}
}

// The success-only rows are each one hypothesis of Holm's family, like
// any other row: Tests counts them.
func TestSuccessOnlyRowsJoinHolmsFamily(t *testing.T) {
	with := mustCompare(t, mixRun("base", 70, 40, true), mixRun("head", 10, 20, true), fast)
	without := mustCompare(t, mixRun("base", 70, 40, false), mixRun("head", 10, 20, false), fast)
	tested := 0
	for _, r := range with.Rows {
		if r.Metric.IsOK() && !math.IsNaN(r.P) {
			tested++
		}
	}
	if tested == 0 || with.Tests != without.Tests+tested {
		t.Errorf("Holm over %d tests with %d tested ok_ rows, %d without them", with.Tests, tested, without.Tests)
	}
}

func TestLessLeavesTheFailedResponses(t *testing.T) {
	hist := func(us ...int64) *hdr.PackedHistogram {
		h := newHist()
		for _, v := range us {
			_ = h.RecordValue(v)
		}
		return h
	}
	for _, tt := range []struct {
		name    string
		all, ok *hdr.PackedHistogram
		left    int64 // values left
		fine    bool
	}{
		{"all succeeded", hist(10, 20, 30), hist(10, 20, 30), 0, true},
		{"one failed", hist(10, 20, 30), hist(10, 30), 1, true},
		{"none succeeded", hist(10, 20), hist(), 2, true},
		{"a success slower than every response", hist(10, 20), hist(10, 40), 0, false},
		{"more successes in a bucket than responses", hist(10, 20), hist(10, 10), 0, false},
	} {
		b := newBuckets(tt.all)
		left, ok := b.less(b.cells(tt.all), tt.ok)
		var n int64
		for _, c := range left {
			n += c.count
		}
		if ok != tt.fine || n != tt.left {
			t.Errorf("%s: %d values left, %v; want %d, %v", tt.name, n, ok, tt.left, tt.fine)
		}
	}
}

// JSON and Markdown carry the ok_ rows with the fields of the latency
// rows, the finding, and Markdown the test of the successes' distribution.
func TestSuccessOnlyRowsInJSONAndMarkdown(t *testing.T) {
	rep := mustCompare(t, mixRun("base", 70, 40, true), mixRun("head", 10, 20, true), fast)
	var b bytes.Buffer
	if err := WriteJSON(&b, []*Report{rep}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Comparisons []struct {
			Rows     []map[string]any `json:"rows"`
			Findings []string         `json:"findings"`
		} `json:"comparisons"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	rows := map[string]map[string]any{}
	for _, r := range doc.Comparisons[0].Rows {
		rows[r["metric"].(string)] = r
	}
	p95, ok := rows["p95"], rows["ok_p95"]
	same := ok != nil
	for k := range p95 {
		_, has := ok[k]
		same = same && (has || k == "note")
	}
	if !same || ok["unit"] != "ms" || ok["verdict"] != "improved" || len(doc.Comparisons[0].Findings) != 1 {
		t.Errorf("JSON ok_p95 %v (p95 %v), findings %q", ok, p95, doc.Comparisons[0].Findings)
	}
	b.Reset()
	if err := WriteMarkdown(&b, rep); err != nil {
		t.Fatal(err)
	}
	if md := b.String(); !strings.Contains(md, "\n> all: the latency of all requests looks worse") || !strings.Contains(md, "| all | ok_p50 |") ||
		!strings.Contains(md, "<br>latency distribution of the requests that did not fail, all: P(head slower) = 0.000") {
		t.Errorf("Markdown lacks the finding, the ok_p50 row or the successes' Mann-Whitney test:\n%s", md)
	}
}
