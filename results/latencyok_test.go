package results

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/surge-dev/surge/metrics"
)

// okHistogram holds the latency of every request that did not fail,
// recorded value by value.
func okHistogram(t *testing.T, reqs []request) *hdr.PackedHistogram {
	t.Helper()
	var ok []request
	for _, q := range reqs {
		if q.status == 200 {
			ok = append(ok, q)
		}
	}
	return rawHistogram(t, ok)
}

// figure is one place a document holds the latency of the requests that
// did not fail.
type figure struct {
	where              string
	requests, failures int64
	ok                 *Latency
	hist               string
}

func figures(r *Results) []figure {
	out := []figure{{"aggregate", r.Aggregate.Requests, r.Aggregate.Failures, r.Aggregate.LatencyOK, r.Aggregate.Hist.LatencyOK}}
	for _, e := range r.Endpoints {
		out = append(out, figure{"endpoint " + e.Name, e.Requests, e.Failures, e.LatencyOK, e.Hist.LatencyOK})
	}
	for _, iv := range r.Intervals {
		out = append(out, figure{"interval", iv.Requests, iv.Failures, iv.LatencyOK, iv.Hist.LatencyOK})
	}
	return out
}

// Every figure of a run's file, of a share's and of their merge holds
// the latency of the requests that did not fail, counting requests less
// failures, its histogram too; the aggregate's is exactly the histogram
// of those requests alone, in one run and merged.
func TestLatencyOKInEveryFigure(t *testing.T) {
	reqs := syntheticTest(20_000, 4, 3)
	single, inputs := splitTest(t, reqs, "0:1/4:1/2:3/4:1")
	merged, err := Merge(inputs)
	if err != nil {
		t.Fatal(err)
	}
	for name, r := range map[string]*Results{"one run": single, "merged": merged, "a share": inputs[1].Results} {
		for _, f := range figures(r) {
			if f.ok == nil || f.ok.Sample != f.requests-f.failures || decodedCount(t, f.hist) != f.ok.Sample {
				t.Fatalf("%s, %s: %d requests, %d failures, latency_ok %+v", name, f.where, f.requests, f.failures, f.ok)
			}
		}
	}
	want := Summarise(okHistogram(t, reqs))
	for name, r := range map[string]*Results{"one run": single, "merged": merged} {
		if got := *r.Aggregate.LatencyOK; got != want || got == r.Aggregate.Latency {
			t.Errorf("%s: latency_ok %+v, want %+v (latency of every request %+v)", name, got, want, r.Aggregate.Latency)
		}
	}
}

// withoutLatencyOK makes r a file of a Surge that did not record the
// latency of the requests that did not fail.
func withoutLatencyOK(r *Results) {
	r.Aggregate.LatencyOK, r.Aggregate.Hist.LatencyOK = nil, ""
	for i := range r.Endpoints {
		r.Endpoints[i].LatencyOK, r.Endpoints[i].Hist.LatencyOK = nil, ""
	}
	for i := range r.Intervals {
		r.Intervals[i].LatencyOK, r.Intervals[i].Hist.LatencyOK = nil, ""
	}
}

// A file written before the latency of the requests that did not fail
// was recorded reads, without it (not as zeros); a merge with such a
// share leaves it out wherever the share had requests that did not fail,
// since the other shares' alone would pass for the whole.
func TestFilesWithoutLatencyOKStillRead(t *testing.T) {
	_, inputs := splitTest(t, syntheticTest(8_000, 2, -1), "0:1/2:1")
	withoutLatencyOK(inputs[0].Results)
	path := filepath.Join(t.TempDir(), "old.json")
	if err := WriteFile(path, inputs[0].Results); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(path); strings.Contains(string(data), "latency_ok") {
		t.Fatal("a file without the latency of the requests that did not fail still names it")
	}
	old, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range figures(old) {
		if f.ok != nil || f.hist != "" {
			t.Fatalf("%s: latency_ok %+v read from a file without it", f.where, f.ok)
		}
	}
	merged, err := Merge([]Input{{Source: path, Results: old}, inputs[1]})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range figures(merged) {
		if f.ok != nil || f.hist != "" {
			t.Fatalf("merged %s: latency_ok %+v from one share's alone", f.where, f.ok)
		}
	}
	if merged.Aggregate.Latency.Sample != merged.Aggregate.Requests {
		t.Fatalf("the merged latency of every request counts %d of %d", merged.Aggregate.Latency.Sample, merged.Aggregate.Requests)
	}
}

// A merge refuses a share whose latency_ok histogram does not count its
// requests less its failures: the sum would not either.
func TestMergeRefusesALatencyOKHistogramThatDoesNotHoldTogether(t *testing.T) {
	_, inputs := splitTest(t, syntheticTest(4_000, 2, -1), "0:1/2:1")
	inputs[1].Results.Aggregate.Hist.LatencyOK = inputs[1].Results.Aggregate.Hist.Latency // every request's
	_, err := Merge(inputs)
	if err == nil || !strings.Contains(err.Error(), "latency_ok histograms hold") || !strings.Contains(err.Error(), "aggregate") {
		t.Fatalf("Merge = %v, want a refusal of the latency_ok histograms", err)
	}
}

// Without a failure the latency of the requests that did not fail is the
// latency of every request: its encoding is the same text, not a second
// compression of the same histogram.
func TestLatencyOKReusesTheLatencyEncodingWithoutFailures(t *testing.T) {
	r := build(t, [][]int{{30, 20}, {10, 0}}, 0)
	for _, f := range figures(r) {
		if f.ok == nil || f.ok.Sample != f.requests {
			t.Fatalf("%s: latency_ok %+v over %d requests", f.where, f.ok, f.requests)
		}
	}
	if r.Aggregate.Hist.LatencyOK != r.Aggregate.Hist.Latency || *r.Aggregate.LatencyOK != r.Aggregate.Latency {
		t.Fatal("without failures the latency_ok histogram differs from the latency histogram")
	}
	h, err := metrics.DecodeHistogram(r.Intervals[0].Hist.LatencyOK)
	if err != nil || h.TotalCount() != 50 {
		t.Fatalf("interval 0's latency_ok histogram: %v, %v", h, err)
	}
}
