package results

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/surge-dev/surge/metrics"
)

// oneEndpointRun is five seconds of one endpoint with latencies spread
// over two decades, errors and an unexpected status, as a Builder sees
// them.
func oneEndpointRun(t *testing.T) *Results {
	t.Helper()
	t0 := time.Unix(1700000000, 0)
	rec := metrics.NewRecorder([]string{"GET /"}, 1, t0)
	b := Builder{Test: Test{Name: "one", Target: "http://127.0.0.1"}, Version: "v-test"}
	for sec := 1; sec <= 5; sec++ {
		for i := range 200 {
			s := metrics.Sample{Latency: time.Duration(i*sec+1) * 137 * time.Microsecond, Service: time.Millisecond, Status: 200}
			switch i % 50 {
			case 0:
				s.Status, s.Err, s.Failed = 0, metrics.ErrTimeout, true
			case 1:
				s.Status, s.Failed = 503, true
			}
			span := rec.VUStarted(uint64(i))
			rec.Record(uint64(i), &s)
			rec.VUFinished(uint64(i), span, "", "")
		}
		b.Add(rec.Flush(t0.Add(time.Duration(sec)*time.Second), sec == 5))
	}
	r, err := b.Results()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// writeStream writes r as a run writes its stream: the header, the
// intervals as they closed (not marked as before a reset: that is known
// only later), and the end line when complete. It writes no reset_at on
// the lines, as Surge did before they carried it (resetRun writes them).
func writeStream(t *testing.T, r *Results, complete bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	var names []string
	for _, e := range r.Endpoints {
		names = append(names, e.Name)
	}
	sw, err := NewStreamWriter(&buf, StreamHeader{Version: r.Version, Test: Test{Name: r.Test.Name,
		Target: r.Test.Target, Started: r.Test.Started}, Plan: r.Plan, Endpoints: names})
	if err != nil {
		t.Fatal(err)
	}
	for _, iv := range r.Intervals {
		iv.BeforeReset = false
		if err := sw.Interval(iv); err != nil {
			t.Fatal(err)
		}
	}
	if complete {
		if err := sw.End(r); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes()
}

func readBack(t *testing.T, data []byte) (*Results, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "run.json") // named like a results file: the content decides
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return ReadFile(path)
}

func asJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestCompleteStreamIsTheResultsFile: a stream with its end line reads
// back as the very document the run's results file holds.
func TestCompleteStreamIsTheResultsFile(t *testing.T) {
	for _, r := range []*Results{oneEndpointRun(t), buildSample(t)} {
		got, err := readBack(t, writeStream(t, r, true))
		if err != nil {
			t.Fatal(err)
		}
		if got.Test.CutShort {
			t.Fatal("a complete stream read as cut short")
		}
		if d := cmp.Diff(asJSON(t, r), asJSON(t, got)); d != "" {
			t.Fatalf("stream read back differs from the results (-want +got):\n%s", d)
		}
	}
}

// TestCutStreamRebuildsTheAggregate: without its end line, and with half
// a line after the last interval (the process died while writing it),
// the stream gives the aggregate the run would have written, rebuilt
// from the intervals' histograms: percentiles equal, not estimated.
func TestCutStreamRebuildsTheAggregate(t *testing.T) {
	r := oneEndpointRun(t)
	data := writeStream(t, r, false)
	half, err := json.Marshal(streamLine{Interval: &r.Intervals[0]})
	if err != nil {
		t.Fatal(err)
	}
	data = append(data, half[:len(half)/2]...)
	got, err := readBack(t, data)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Test.CutShort || !got.Test.Interrupted {
		t.Fatalf("cut short %v, interrupted %v: want both", got.Test.CutShort, got.Test.Interrupted)
	}
	want, have := r.Aggregate, got.Aggregate
	if d := cmp.Diff(want.Stats, have.Stats, ignoreBytes); d != "" {
		t.Fatalf("rebuilt aggregate (-run's +rebuilt):\n%s", d)
	}
	if have.SpanS != want.SpanS || have.VUsers.Created != want.VUsers.Created || have.MaxActiveVUs != want.MaxActiveVUs ||
		!got.Test.Started.Equal(r.Test.Started) || got.Test.DurationS != r.Test.DurationS {
		t.Fatalf("span %v vus %+v max %d started %v duration %v; want %v %+v %d %v %v", have.SpanS, have.VUsers,
			have.MaxActiveVUs, got.Test.Started, got.Test.DurationS, want.SpanS, want.VUsers, want.MaxActiveVUs,
			r.Test.Started, r.Test.DurationS)
	}
	if d := cmp.Diff(r.Endpoints[0].Stats, got.Endpoints[0].Stats, ignoreBytes); d != "" {
		t.Fatalf("the one endpoint (-run's +rebuilt):\n%s", d)
	}
	if got.Counters["http.codes.503"] != r.Counters["http.codes.503"] || got.Counters["errors.ETIMEDOUT"] == 0 {
		t.Fatalf("counters %v, want %v", got.Counters, r.Counters)
	}
}

// ignoreBytes: intervals do not count bytes, so a rebuilt aggregate has
// none.
var ignoreBytes = cmp.FilterPath(func(p cmp.Path) bool {
	s := p.String()
	return s == "BytesSent" || s == "BytesRecv"
}, cmp.Ignore())

// TestCutStreamKeepsEachEndpointsCounts: with several endpoints the
// rebuilt endpoints hold their counts (their latencies are not in the
// intervals).
func TestCutStreamKeepsEachEndpointsCounts(t *testing.T) {
	r := buildSample(t)
	got, err := readBack(t, writeStream(t, r, false))
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range r.Endpoints {
		g := got.Endpoints[i]
		if g.Name != e.Name || g.Requests != e.Requests || g.Errors != e.Errors || g.Failures != e.Failures ||
			g.FailureRatePct != e.FailureRatePct || g.RPS != e.RPS {
			t.Fatalf("endpoint %d: %+v, want the counts of %+v", i, g, e)
		}
	}
	if got.Aggregate.Requests != 300 || got.Aggregate.Latency != r.Aggregate.Latency {
		t.Fatalf("aggregate %d requests, latency %+v; want 300, %+v", got.Aggregate.Requests, got.Aggregate.Latency, r.Aggregate.Latency)
	}
}

func TestStreamErrorsNameTheLine(t *testing.T) {
	r := oneEndpointRun(t)
	full := writeStream(t, r, true)
	lines := strings.SplitAfter(string(full), "\n")
	cases := map[string]struct{ data, want string }{
		"a bad line in the middle": {lines[0] + lines[1] + "{nope\n" + lines[2], ":3: "},
		"a line after the end":     {string(full) + lines[1], ":7: lines follow the end line"},
		"an unknown line":          {lines[0] + "{}\n", ":2: neither an interval nor the end"},
		"the header cut":           {lines[0][:len(lines[0])-1], "cut short before its first line was whole"},
	}
	for name, c := range cases {
		_, err := readBack(t, []byte(c.data))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one with %q", name, err, c.want)
		}
	}
}

// TestCompleteStreamKeepsTheReset: after the dashboard's "Reset
// statistics" the intervals before the reset are marked in the stream's
// reading as in the results file, even in a stream whose lines do not
// record the reset (written by an older Surge): the end line says it.
func TestCompleteStreamKeepsTheReset(t *testing.T) {
	t0 := time.Unix(1700000000, 0)
	rec := metrics.NewRecorder([]string{"GET /"}, 1, t0)
	var b Builder
	for sec := 1; sec <= 6; sec++ {
		for i := range 50 {
			rec.Record(uint64(i), &metrics.Sample{Latency: time.Millisecond, Status: 200})
		}
		if sec == 3 {
			rec.Reset()
		}
		b.Add(rec.Flush(t0.Add(time.Duration(sec)*time.Second), sec == 6))
	}
	r, err := b.Results()
	if err != nil {
		t.Fatal(err)
	}
	got, err := readBack(t, writeStream(t, r, true))
	if err != nil {
		t.Fatal(err)
	}
	marked := 0
	for _, iv := range got.Intervals {
		if iv.BeforeReset {
			marked++
		}
	}
	if marked == 0 || got.Test.ResetAt.IsZero() {
		t.Fatal("the reset is lost")
	}
	if d := cmp.Diff(asJSON(t, r), asJSON(t, got)); d != "" {
		t.Fatalf("stream read back differs from the results (-want +got):\n%s", d)
	}
}

// TestStreamRefusesSecondsOutOfStep: a run writes every second once, in
// order, from 0, so a repeated, missing or misplaced interval line is a
// damaged stream, refused with its file:line, complete or cut short
// (rather than counted twice or summed with a hole).
func TestStreamRefusesSecondsOutOfStep(t *testing.T) {
	r := oneEndpointRun(t)
	lines := strings.SplitAfter(string(writeStream(t, r, true)), "\n") // header, t=0…4, end, ""
	head, end := lines[0], lines[6]
	cases := map[string]struct{ data, want string }{
		"a repeated second": {head + lines[1] + lines[2] + lines[2] + lines[3], ":4: interval of second 1 after second 1, want 2"},
		"a missing second":  {head + lines[1] + lines[3] + lines[4] + lines[5] + end, ":3: interval of second 2 after second 0, want 1"},
		"seconds swapped":   {head + lines[1] + lines[3] + lines[2], ":3: interval of second 2 after second 0, want 1"},
		"the first missing": {head + lines[2] + lines[3], ":2: the first interval is second 1, want 0"},
		"a repeat at the end": {head + lines[1] + lines[2] + lines[3] + lines[4] + lines[5] + lines[5] + end,
			":7: interval of second 4 after second 4"},
	}
	for name, c := range cases {
		_, err := readBack(t, []byte(c.data))
		if err == nil || !strings.Contains(err.Error(), "run.json"+c.want) {
			t.Errorf("%s: error %v, want one with %q", name, err, c.want)
		}
	}
	if _, err := readBack(t, []byte(head+lines[1]+lines[2])); err != nil {
		t.Errorf("seconds 0 and 1 cut short: %v", err)
	}
}

// TestReadFileSaysWhatTheFileIs: an empty file, and a stream of a format
// version this Surge does not read, are said as such, not as JSON errors.
func TestReadFileSaysWhatTheFileIs(t *testing.T) {
	full := string(writeStream(t, oneEndpointRun(t), true))
	cases := map[string]struct{ data, want string }{
		"empty":            {"", "the file is empty"},
		"blank lines":      {"\n\n", "the file is empty"},
		"a v2 stream":      {strings.Replace(full, StreamSchema, "surge.stream/v2", 1), `a stream of format "surge.stream/v2", which this Surge does not read (it reads surge.stream/v1)`},
		"a v2 header only": {`{"schema":"surge.stream/v2"}` + "\n", `a stream of format "surge.stream/v2"`},
		"k6's summary":     {`{"root_group":{"name":""},"metrics":{"http_reqs":{"values":{"count":3}}}}`, "not a Surge results file (no \"schema\""},
		"a v2 document":    {`{"schema":"surge.results/v2"}`, `schema "surge.results/v2", want "surge.results/v1"`},
	}
	for name, c := range cases {
		_, err := readBack(t, []byte(c.data))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one with %q", name, err, c.want)
		}
	}
}

// TestStreamCutShortHugeValuesEncode: a stream cut short whose seconds
// carry lags and CPU near float64's largest was read, but the generator's
// judgement rebuilt from them held +Inf (rounding to 3 decimals multiplied
// by 1000 first), so the document could not be written (json: unsupported
// value: +Inf) by surge report, merge or compare.
func TestStreamCutShortHugeValuesEncode(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"schema":"surge.stream/v1","endpoints":["a"]}` + "\n")
	for i := range 4 {
		fmt.Fprintf(&b, `{"interval":{"t":%d,"start":"2023-11-14T22:13:2%dZ","duration_s":1,"generator":{"cores":1,"arrivals":10,`+
			`"send_lag_p99_ms":1e308,"cpu_pct":1.7e308,"cpu_demand_pct":1e307}}}`+"\n", i, i)
	}
	r, err := readBack(t, []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if r.Generator == nil || !r.Generator.Bound || len(r.Generator.Spans) != 1 {
		t.Fatalf("generator %+v, want bound in one span", r.Generator)
	}
	if _, err := json.Marshal(r); err != nil {
		t.Fatalf("the document read does not encode: %v", err)
	}
	if s := r.Generator.Spans[0]; s.LagP99Ms != 1e308 || *s.CPUPct != 1.7e308 {
		t.Errorf("span %+v (cpu %v), want the lag and CPU as written", s, *s.CPUPct)
	}
}

// TestStreamRefusesIntervalsOfAbsurdLength: a stream's seconds are added
// up (the test's length, the generator's spans); two lasting 1e308 s made
// +Inf, and a document that could not be written. No interval of a run
// is negative or lasts a year.
func TestStreamRefusesIntervalsOfAbsurdLength(t *testing.T) {
	for _, d := range []string{"1e308", "-1", "31622400.5"} {
		var b strings.Builder
		b.WriteString(`{"schema":"surge.stream/v1","endpoints":["a"]}` + "\n")
		for i := range 3 {
			fmt.Fprintf(&b, `{"interval":{"t":%d,"start":"2023-11-14T22:13:2%dZ","duration_s":%s,"generator":{"cores":1,"arrivals":10,"send_lag_p99_ms":50}}}`+"\n", i, i, d)
		}
		if r, err := readBack(t, []byte(b.String())); err == nil || !strings.Contains(err.Error(), "lasts") {
			t.Errorf("duration_s %s: %v, want a refusal", d, err)
			if err == nil {
				if _, err := json.Marshal(r); err != nil {
					t.Errorf("duration_s %s: the document read does not encode: %v", d, err)
				}
			}
		}
	}
}
