package results

import (
	"testing"
	"time"

	"github.com/surge-dev/surge/metrics"
)

// build records per second: samples[s][e] requests of endpoint e, each
// with a latency of (e+1) ms plus a tenth of a millisecond per second so
// that the seconds differ, and resets after resetAfter seconds (0: never).
func build(t *testing.T, samples [][]int, resetAfter int) *Results {
	t.Helper()
	t0 := time.Unix(1700000000, 0)
	rec := metrics.NewRecorder([]string{"GET /a", "GET /b"}, 2, t0)
	b := Builder{}
	for s, perEndpoint := range samples {
		for e, n := range perEndpoint {
			for range n {
				lat := time.Duration(e+1)*time.Millisecond + time.Duration(s)*100*time.Microsecond
				rec.Record(1, &metrics.Sample{Endpoint: e, Latency: lat, Service: lat / 2, Status: 200})
			}
		}
		if s+1 == resetAfter {
			rec.Reset()
		}
		b.Add(rec.Flush(t0.Add(time.Duration(s+1)*time.Second), s == len(samples)-1))
	}
	r, err := b.Results()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func decodedCount(t *testing.T, s string) int64 {
	t.Helper()
	h, err := metrics.DecodeHistogram(s)
	if err != nil {
		t.Fatal(err)
	}
	return h.TotalCount()
}

// The encodings that are reused (an endpoint holding every sample, a
// short run's only interval) hold exactly the samples they stand for;
// the others are encoded on their own.
func TestHistogramEncodingsReusedOnlyWhereEqual(t *testing.T) {
	cases := []struct {
		name       string
		samples    [][]int
		resetAfter int
		aggregate  int64
		endpoints  []int64
	}{
		{"one endpoint, one interval", [][]int{{7, 0}}, 0, 7, []int64{7, 0}},
		{"one endpoint, two intervals", [][]int{{3, 0}, {4, 0}}, 0, 7, []int64{7, 0}},
		{"two endpoints", [][]int{{3, 5}}, 0, 8, []int64{3, 5}},
		{"an interval as large as the aggregate after a reset", [][]int{{4, 0}, {4, 0}}, 1, 4, []int64{4, 0}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := build(t, c.samples, c.resetAfter)
			if n := decodedCount(t, r.Aggregate.Hist.Latency); n != c.aggregate {
				t.Fatalf("aggregate latency histogram holds %d samples, want %d", n, c.aggregate)
			}
			if n := decodedCount(t, r.Aggregate.Hist.Service); n != c.aggregate {
				t.Fatalf("aggregate service histogram holds %d samples, want %d", n, c.aggregate)
			}
			for i, e := range r.Endpoints {
				if n := decodedCount(t, e.Hist.Latency); n != c.endpoints[i] {
					t.Fatalf("endpoint %s holds %d samples, want %d", e.Name, n, c.endpoints[i])
				}
			}
			// The aggregate's own figures and its histogram agree.
			h, _ := metrics.DecodeHistogram(r.Aggregate.Hist.Latency)
			if got := Summarise(h); got != r.Aggregate.Latency {
				t.Fatalf("aggregate histogram summarises to %+v, the figures say %+v", got, r.Aggregate.Latency)
			}
		})
	}
}
