package results

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/surge-dev/surge/metrics"
)

// okServiceHistogram holds the service time (record's: half the latency)
// of every request that did not fail, recorded value by value.
func okServiceHistogram(t *testing.T, reqs []request) *hdr.PackedHistogram {
	t.Helper()
	h := metrics.NewHistogram()
	for _, q := range reqs {
		if q.status == 200 {
			if err := h.RecordValue((q.latency / 2).Microseconds()); err != nil {
				t.Fatal(err)
			}
		}
	}
	return h
}

// serviceFigures is figures for the service time of the requests that
// did not fail.
func serviceFigures(r *Results) []figure {
	out := []figure{{"aggregate", r.Aggregate.Requests, r.Aggregate.Failures, r.Aggregate.ServiceOK, r.Aggregate.Hist.ServiceOK}}
	for _, e := range r.Endpoints {
		out = append(out, figure{"endpoint " + e.Name, e.Requests, e.Failures, e.ServiceOK, e.Hist.ServiceOK})
	}
	for _, iv := range r.Intervals {
		out = append(out, figure{"interval", iv.Requests, iv.Failures, iv.ServiceOK, iv.Hist.ServiceOK})
	}
	return out
}

// Every figure of a run's file, of a share's (written and read back) and
// of their merge holds the service time of the requests that did not
// fail, counting requests less failures, its histogram too. The
// aggregate's is exactly the histogram of those requests alone, in one
// run and merged, and the merged one is the shares' histograms added.
func TestServiceOKInEveryFigure(t *testing.T) {
	reqs := syntheticTest(20_000, 4, 3)
	single, inputs := splitTest(t, reqs, "0:1/4:1/2:3/4:1")
	merged, err := Merge(inputs)
	if err != nil {
		t.Fatal(err)
	}
	for name, r := range map[string]*Results{"one run": single, "merged": merged, "a share": inputs[1].Results} {
		for _, f := range serviceFigures(r) {
			if f.ok == nil || f.ok.Sample != f.requests-f.failures || decodedCount(t, f.hist) != f.ok.Sample {
				t.Fatalf("%s, %s: %d requests, %d failures, service_ok %+v", name, f.where, f.requests, f.failures, f.ok)
			}
		}
	}
	sum := metrics.NewHistogram()
	for _, in := range inputs {
		h, err := metrics.DecodeHistogram(in.Results.Aggregate.Hist.ServiceOK)
		if err != nil {
			t.Fatal(err)
		}
		sum.Merge(h)
	}
	want := Summarise(okServiceHistogram(t, reqs))
	if got := Summarise(sum); got != want {
		t.Fatalf("the shares' service_ok histograms add to %+v, want %+v", got, want)
	}
	for name, r := range map[string]*Results{"one run": single, "merged": merged} {
		if got := *r.Aggregate.ServiceOK; got != want || got == r.Aggregate.Service {
			t.Errorf("%s: service_ok %+v, want %+v (service time of every request %+v)", name, got, want, r.Aggregate.Service)
		}
	}
}

// withoutServiceOK makes r a file of a Surge that recorded the latency of
// the requests that did not fail but not their service time.
func withoutServiceOK(r *Results) {
	r.Aggregate.ServiceOK, r.Aggregate.Hist.ServiceOK = nil, ""
	for i := range r.Endpoints {
		r.Endpoints[i].ServiceOK, r.Endpoints[i].Hist.ServiceOK = nil, ""
	}
	for i := range r.Intervals {
		r.Intervals[i].ServiceOK, r.Intervals[i].Hist.ServiceOK = nil, ""
	}
}

// A file written before the service time of the requests that did not
// fail was recorded reads, without it (not as zeros); a merge with such a
// share leaves it out, since the other shares' alone would pass for the
// whole, and keeps the latency of the requests that did not fail, which
// every share has.
func TestFilesWithoutServiceOKStillRead(t *testing.T) {
	_, inputs := splitTest(t, syntheticTest(8_000, 2, -1), "0:1/2:1")
	withoutServiceOK(inputs[0].Results)
	path := filepath.Join(t.TempDir(), "old.json")
	if err := WriteFile(path, inputs[0].Results); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(path); strings.Contains(string(data), "service_ok") {
		t.Fatal("a file without the service time of the requests that did not fail still names it")
	}
	old, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	merged, err := Merge([]Input{{Source: path, Results: old}, inputs[1]})
	if err != nil {
		t.Fatal(err)
	}
	for name, r := range map[string]*Results{"read": old, "merged": merged} {
		for _, f := range serviceFigures(r) {
			if f.ok != nil || f.hist != "" {
				t.Fatalf("%s %s: service_ok %+v from a file without it", name, f.where, f.ok)
			}
		}
	}
	if ok := merged.Aggregate.LatencyOK; ok == nil || ok.Sample != merged.Aggregate.Requests-merged.Aggregate.Failures {
		t.Fatalf("the merged latency_ok %+v, want it kept", ok)
	}
}

// A merge refuses a share whose service_ok histogram does not count its
// requests less its failures: the sum would not either.
func TestMergeRefusesAServiceOKHistogramThatDoesNotHoldTogether(t *testing.T) {
	_, inputs := splitTest(t, syntheticTest(4_000, 2, -1), "0:1/2:1")
	inputs[0].Results.Aggregate.Hist.ServiceOK = inputs[0].Results.Aggregate.Hist.Service // every request's
	_, err := Merge(inputs)
	if err == nil || !strings.Contains(err.Error(), "service_ok histograms hold") || !strings.Contains(err.Error(), "aggregate") {
		t.Fatalf("Merge = %v, want a refusal of the service_ok histograms", err)
	}
}

// Without a failure the service time of the requests that did not fail
// is the service time of every request: its encoding is the same text.
func TestServiceOKReusesTheServiceEncodingWithoutFailures(t *testing.T) {
	r := build(t, [][]int{{30, 20}, {10, 0}}, 0)
	for _, f := range serviceFigures(r) {
		if f.ok == nil || f.ok.Sample != f.requests {
			t.Fatalf("%s: service_ok %+v over %d requests", f.where, f.ok, f.requests)
		}
	}
	if r.Aggregate.Hist.ServiceOK != r.Aggregate.Hist.Service || *r.Aggregate.ServiceOK != r.Aggregate.Service {
		t.Fatal("without failures the service_ok histogram differs from the service histogram")
	}
}
