package results

import (
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/schedule"
)

// request is one synthetic request of a test: its second, endpoint,
// latency and outcome.
type request struct {
	second   int
	endpoint int
	latency  time.Duration
	status   int
	err      metrics.ErrorKind
}

// syntheticTest makes n requests over four seconds with log-normal
// latencies (median about 1.8 ms); the requests of the share slow (-1:
// none) of shares equal ones take four times as long.
func syntheticTest(n, shares, slow int) []request {
	r := rand.New(rand.NewPCG(2026, 12))
	out := make([]request, n)
	for i := range out {
		lat := time.Duration(math.Exp(7.5+0.6*r.NormFloat64())) * time.Microsecond
		if i%shares == slow {
			lat *= 4
		}
		q := request{second: i * 4 / n, endpoint: i % 3 % 2, latency: lat, status: 200}
		switch {
		case i%97 == 0:
			q.status, q.err = 0, metrics.ErrTimeout
		case i%89 == 0:
			q.status = 503
		}
		out[i] = q
	}
	return out
}

var t0 = time.Unix(1_800_000_000, 0)

// record builds the document of a run that sent the requests for which
// owns is true, as a recorder and builder would.
func record(t *testing.T, reqs []request, owns func(int64) bool, plan *Plan) *Results {
	t.Helper()
	rec := metrics.NewRecorder([]string{"GET /a", "GET /b"}, 2, t0)
	b := Builder{Test: Test{Name: "synthetic", Target: "http://127.0.0.1"}}
	sec := 0
	var running []uint64 // VUs still active at the end of the second: every 50th
	finish := func() {
		for _, vu := range running {
			rec.RequestDone()
			rec.VUFinished(vu, 0, "", "")
		}
		running = running[:0]
	}
	for i, q := range reqs {
		for ; q.second > sec; sec++ {
			b.Add(rec.Flush(t0.Add(time.Duration(sec+1)*time.Second), false))
			finish()
		}
		if !owns(int64(i)) {
			continue
		}
		s := metrics.Sample{Endpoint: q.endpoint, Latency: q.latency, Service: q.latency / 2, Status: q.status,
			Err: q.err, Failed: q.status != 200, BytesSent: 100, BytesRecv: int64(200 + i%7)}
		span := rec.VUStarted(uint64(i))
		rec.Record(uint64(i), &s)
		reason := ""
		if q.err != metrics.NoError {
			reason = q.err.String()
		}
		if i%50 == 0 && reason == "" {
			rec.RequestStarted()
			running = append(running, uint64(i))
			continue
		}
		rec.VUFinished(uint64(i), span, reason, "request "+q.err.String())
	}
	finish()
	b.Add(rec.Flush(t0.Add(time.Duration(sec+1)*time.Second), true))
	r, err := b.Results()
	if err != nil {
		t.Fatal(err)
	}
	r.Plan = plan
	return r
}

// splitTest records reqs once as one run and once as the shares of
// sequence, each written to a file and read back.
func splitTest(t *testing.T, reqs []request, sequence string) (single *Results, inputs []Input) {
	t.Helper()
	seq, err := schedule.ParseSequence(sequence)
	if err != nil {
		t.Fatal(err)
	}
	plan := Plan{SHA256: "abc123", Arrivals: int64(len(reqs)), Sequence: seq.String(), Seed: 1}
	whole := plan
	whole.Segment = "0:1"
	single = record(t, reqs, func(int64) bool { return true }, &whole)
	dir := t.TempDir()
	for k := range seq.Shares() {
		seg, err := schedule.NewSegment(seq, k)
		if err != nil {
			t.Fatal(err)
		}
		share := plan
		share.Segment = seg.String()
		path := filepath.Join(dir, strings.ReplaceAll(seg.String(), "/", "_")+".json")
		if err := WriteFile(path, record(t, reqs, seg.Owns, &share)); err != nil {
			t.Fatal(err)
		}
		r, err := ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, Input{Source: path, Results: r})
	}
	return single, inputs
}

// rawHistogram is one histogram holding every request's latency,
// recorded value by value.
func rawHistogram(t *testing.T, reqs []request) *hdr.PackedHistogram {
	h := metrics.NewHistogram()
	for _, q := range reqs {
		if err := h.RecordValue(q.latency.Microseconds()); err != nil {
			t.Fatal(err)
		}
	}
	return h
}

// Merging the shares' files gives the document one run of all the
// requests writes, field for field (start times, the plan and the bound
// on max_active_vus aside), for equal and weighted shares.
func TestMergeEqualsOneRun(t *testing.T) {
	reqs := syntheticTest(40_000, 8, 7)
	for _, sequence := range []string{"0:1/8:1/4:3/8:1/2:5/8:3/4:7/8:1", "0:1/2:3/4:1", "0:3/5:14/15:1", "0:1"} {
		single, inputs := splitTest(t, reqs, sequence)
		merged, err := Merge(inputs)
		if err != nil {
			t.Fatal(err)
		}
		ignore := cmp.Options{
			cmpopts.IgnoreFields(Results{}, "Plan", "Test"),
			cmpopts.IgnoreFields(Interval{}, "Start", "MaxActiveVUs"),
			cmpopts.IgnoreFields(Aggregate{}, "MaxActiveVUs"),
			cmpopts.EquateEmpty(),
		}
		if diff := cmp.Diff(single, merged, ignore); diff != "" {
			t.Fatalf("%s: the merged document differs from one run's (-one run +merged):\n%s", sequence, diff)
		}
		if merged.Plan.Segment != "0:1" || len(merged.Plan.Shares) != len(inputs) || merged.Plan.SHA256 != "abc123" {
			t.Errorf("%s: merged plan %+v", sequence, merged.Plan)
		}
	}
}

// The merged percentiles are those of one histogram holding every
// latency, recorded value by value; the average of the shares' p99s, what
// tools that average percentiles report, is far off when one share of
// eight is slow.
func TestMergedPercentilesAreExactAndAveragedOnesAreNot(t *testing.T) {
	reqs := syntheticTest(200_000, 8, 7)
	_, inputs := splitTest(t, reqs, "0:1/8:1/4:3/8:1/2:5/8:3/4:7/8:1")
	merged, err := Merge(inputs)
	if err != nil {
		t.Fatal(err)
	}
	all := rawHistogram(t, reqs)
	got := merged.Aggregate.Latency
	want := Summarise(all)
	if got.P50 != want.P50 || got.P99 != want.P99 || got.P999 != want.P999 || got.Sample != want.Sample {
		t.Fatalf("merged p50/p99/p99.9 %v/%v/%v over %d, one histogram %v/%v/%v over %d",
			got.P50, got.P99, got.P999, got.Sample, want.P50, want.P99, want.P999, want.Sample)
	}
	var sum float64
	var each []string
	for _, in := range inputs {
		sum += in.Results.Aggregate.Latency.P99
		each = append(each, fmt.Sprintf("%.3f", in.Results.Aggregate.Latency.P99))
	}
	avg := sum / float64(len(inputs))
	off := (avg - want.P99) / want.P99
	t.Logf("one slow share of 8: the shares' p99s %s ms; p99 of all requests %.3f ms, merged %.3f ms, average of the shares' p99s %.3f ms (%+.1f %%); p50 %.3f, p99.9 %.3f ms",
		strings.Join(each, ", "), want.P99, got.P99, avg, 100*off, got.P50, got.P999)
	if off > -0.2 {
		t.Errorf("the average of p99s is %.1f %% from the true p99; the slow share should drag it far below", 100*off)
	}
}

func TestMergeRefusesWhatIsNotOneTest(t *testing.T) {
	reqs := syntheticTest(2_000, 4, -1)
	fresh := func() []Input {
		_, inputs := splitTest(t, reqs, "0:1/4:1/2:3/4:1")
		return inputs
	}
	tests := []struct {
		name   string
		change func([]Input) []Input
		want   string
	}{
		{"no plan", func(in []Input) []Input { in[2].Results.Plan = nil; return in }, "no plan hash"},
		{"another plan", func(in []Input) []Input { in[1].Results.Plan.SHA256 = "def"; return in }, "not shares of one test"},
		{"another sequence", func(in []Input) []Input { in[3].Results.Plan.Sequence = "0:1/2:1"; return in }, "segment sequence 0:1/2:1"},
		{"a share twice", func(in []Input) []Input { return append(in, in[1]) }, "both hold the share 1/4:1/2"},
		{"a share missing", func(in []Input) []Input { return append(in[:1], in[2:]...) }, "shares missing from the sequence 0:1/4:1/2:3/4:1: 1/4:1/2 (3 of 4 given)"},
		{"a segment not in the sequence", func(in []Input) []Input { in[0].Results.Plan.Segment = "0:1/3"; return in }, "not one of the shares"},
		{"a reset", func(in []Input) []Input { in[0].Results.Test.ResetAt = t0; return in }, "reset during the test"},
		{"other endpoints", func(in []Input) []Input { in[2].Results.Endpoints[1].Name = "GET /c"; return in },
			"endpoints GET /a, GET /c, but"},
		{"other expected statuses", func(in []Input) []Input { in[1].Results.Test.ExpectStatus = "200-404"; return in },
			"expected statuses 200-404, but"},
		{"expected statuses against the default", func(in []Input) []Input {
			in[0].Results.Test.ExpectStatus, in[3].Results.Test.ExpectStatus = "", "2xx"
			return in
		}, "expected statuses 200-299, but"},
		{"nothing", func([]Input) []Input { return nil }, "no results to merge"},
		{"another geometry", func(in []Input) []Input {
			h := hdr.NewPacked(1, 1_000_000, 2)
			h.RecordValue(1500)
			enc, _ := metrics.EncodeHistogram(h)
			in[2].Results.Endpoints[1].Hist.Latency = enc
			return in
		}, "endpoint GET /b, latency histogram: geometry 1 to 1000000 µs at 2 digits"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Merge(tt.change(fresh()))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Merge = %v, want an error saying %q", err, tt.want)
			}
		})
	}
}

// Expected statuses spelled differently are one definition; a file that
// names none expects the default.
func TestMergeTakesOneDefinitionSpelledTwoWays(t *testing.T) {
	_, inputs := splitTest(t, syntheticTest(2_000, 4, -1), "0:1/4:1/2:3/4:1")
	for i, spec := range []string{"", "100-399", "1xx,2xx,3xx", "100-199,200-399"} {
		inputs[i].Results.Test.ExpectStatus = spec
	}
	if _, err := Merge(inputs); err != nil {
		t.Fatal(err)
	}
}

// A merged document holds every share: merged alone it is itself again,
// merged with one of its shares it is refused.
func TestMergedDocumentHoldsEveryShare(t *testing.T) {
	_, inputs := splitTest(t, syntheticTest(2_000, 4, -1), "0:1/4:1/2:3/4:1")
	merged, err := Merge(inputs)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Merge([]Input{{Source: "merged.json", Results: merged}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(merged, again); diff != "" {
		t.Errorf("a merged document merged alone changed (-before +after):\n%s", diff)
	}
	_, err = Merge([]Input{{Source: "merged.json", Results: merged}, inputs[2]})
	if err == nil || !strings.Contains(err.Error(), "merged.json and") {
		t.Errorf("merging a merged document with one of its shares: %v, want a refusal", err)
	}
}

// A test without errors writes "errors_by_kind": {} in its aggregate and
// each endpoint, and so does the merge of its shares (and a stream cut
// short, rebuilt the same way), not null: the same document either way.
func TestMergeWritesEmptyErrorKindsAsOneRunDoes(t *testing.T) {
	reqs := syntheticTest(4_000, 2, -1)
	for i := range reqs {
		reqs[i].status, reqs[i].err = 200, 0
	}
	single, inputs := splitTest(t, reqs, "0:1/2:1")
	merged, err := Merge(inputs)
	if err != nil {
		t.Fatal(err)
	}
	for _, doc := range []*Results{single, merged} {
		stats := []Stats{doc.Aggregate.Stats}
		for _, e := range doc.Endpoints {
			stats = append(stats, e.Stats)
		}
		for _, s := range stats {
			if s.ErrorKind == nil || len(s.ErrorKind) != 0 {
				t.Errorf("errors_by_kind %#v, want an empty map", s.ErrorKind)
			}
		}
	}
}

// A share whose stream was cut short (its process killed) holds only what
// its seconds hold: every endpoint's latencies together, no bytes. The
// merge says it was cut short and leaves out what that share cannot
// supply, rather than passing the other shares' percentiles and bytes
// off as the whole test's.
func TestMergeWithAShareCutShortLeavesOutWhatItLacks(t *testing.T) {
	_, inputs := splitTest(t, syntheticTest(4_000, 2, -1), "0:1/2:1")
	cut, err := readBack(t, writeStream(t, inputs[1].Results, false))
	if err != nil {
		t.Fatal(err)
	}
	merged, err := Merge([]Input{inputs[0], {Source: "share1.jsonl", Results: cut}})
	if err != nil {
		t.Fatal(err)
	}
	if !merged.Test.CutShort || !merged.Test.Interrupted || !merged.Plan.Shares[1].CutShort || merged.Plan.Shares[0].CutShort {
		t.Errorf("test %+v, shares %+v: want the merge and its second share marked cut short", merged.Test, merged.Plan.Shares)
	}
	if merged.Aggregate.Requests != 4_000 || merged.Aggregate.Latency.Sample != 4_000 {
		t.Errorf("aggregate: %d requests, %d latencies; want 4000 of each (the seconds hold them)",
			merged.Aggregate.Requests, merged.Aggregate.Latency.Sample)
	}
	for _, e := range merged.Endpoints {
		if e.Requests == 0 || e.Latency != (Latency{}) || e.Hist.Latency != "" {
			t.Errorf("endpoint %s: %d requests, latency %+v: want the requests, and no latency from one share alone",
				e.Name, e.Requests, e.Latency)
		}
		if e.BytesRecv != 0 || e.BytesSent != 0 {
			t.Errorf("endpoint %s: bytes %d/%d, want none: the cut share's are unknown", e.Name, e.BytesSent, e.BytesRecv)
		}
	}
	if merged.Aggregate.BytesRecv != 0 || merged.Counters["http.downloaded_bytes"] != 0 {
		t.Errorf("aggregate bytes %d, downloaded_bytes %d: want none", merged.Aggregate.BytesRecv, merged.Counters["http.downloaded_bytes"])
	}
}

// What ended a share early (an alert that aborted it, a task that called
// StopTest) is kept in the merge whichever share it was: the merged test
// is interrupted, and says by what.
func TestMergeKeepsWhatStoppedAShare(t *testing.T) {
	_, inputs := splitTest(t, syntheticTest(2_000, 4, -1), "0:1/4:1/2:3/4:1")
	inputs[2].Results.Test.Interrupted, inputs[2].Results.Test.AbortedBy = true, `alert "p99"`
	inputs[3].Results.Test.StoppedBy = `task "checkout"`
	merged, err := Merge(inputs)
	if err != nil {
		t.Fatal(err)
	}
	if m := merged.Test; !m.Interrupted || m.AbortedBy != `alert "p99"` || m.StoppedBy != `task "checkout"` {
		t.Errorf("merged test: interrupted %v, aborted by %q, stopped by %q", m.Interrupted, m.AbortedBy, m.StoppedBy)
	}
}
