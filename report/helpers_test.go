package report

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"regexp"
	"testing"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/results"
)

var t0 = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

// synth builds a results value of the given length and rate without
// running anything: 90 % of requests to the first endpoint, a latency
// spike at second spikeAt, 1 % 503s, a monitor series with a gap.
func synth(tb testing.TB, seconds int, rps int64, names ...string) *results.Results {
	tb.Helper()
	ivHist := encode(tb, histOf(rps, 1))
	r := &results.Results{Schema: results.Schema, Version: "test",
		Test: results.Test{Name: "synthetic", Target: "http://127.0.0.1:8080", Started: t0,
			Ended: t0.Add(time.Duration(seconds) * time.Second), DurationS: float64(seconds)}}
	for s := range seconds {
		r.Intervals = append(r.Intervals, interval(s, rps, len(names), ivHist))
	}
	total := rps * int64(seconds)
	lat, svc := histOf(total, 1), histOf(total, 0.8)
	r.Aggregate = results.Aggregate{Stats: stats(tb, total, lat, svc), VUsers: results.VUs{Created: total, Completed: total},
		MaxActiveVUs: 120, Dropped: 7}
	for i, name := range names {
		n := total / 10
		if i == 0 {
			n = total - total/10*int64(len(names)-1)
		}
		h := histOf(n, 1+float64(i)/4)
		r.Endpoints = append(r.Endpoints, results.Endpoint{Name: name, Stats: stats(tb, n, h, h)})
	}
	return r
}

const spikeAt = 1234

// interval makes second s. Values carry deterministic noise (so the
// report's size is realistic), within fixed bounds tests rely on: p99 at
// most 25.2 ms except 900 ms at spikeAt, RPS within rps+0..6.
func interval(s int, rps int64, endpoints int, hist string) results.Interval {
	rnd := rand.New(rand.NewPCG(uint64(s), 7))
	noise := func(v float64) float64 { return v * (1 + rnd.Float64()/100) }
	p99 := noise(20 + 5*math.Sin(float64(s)/60))
	if s == spikeAt {
		p99 = 900
	}
	errs := rps / 100
	iv := results.Interval{Index: s, Start: t0.Add(time.Duration(s) * time.Second), DurationS: 1,
		Requests: rps, Errors: 0, RPS: float64(rps) + float64(s%7), ActiveVUs: 100 + rnd.Int64N(20),
		InFlight: 40 + int64(s%5),
		Codes:    map[string]int64{"200": rps - errs, "503": errs},
		Latency:  results.Latency{P50: noise(5), P95: noise(12), P99: p99, Max: p99 * 2, Sample: rps},
		Service:  results.Latency{P50: noise(4), P95: noise(10), P99: p99 * 0.8, Max: p99, Sample: rps},
		VUsers:   results.VUs{Created: rps, Completed: rps},
		Hist:     results.Histograms{Latency: hist, Service: hist},
		Monitor:  map[string]float64{"cpu_seconds": float64(s) * 0.9, "memory_bytes": noise(2e8)},
	}
	if s%100 == 50 {
		delete(iv.Monitor, "cpu_seconds") // a missed scrape
	}
	if s == spikeAt {
		iv.ErrorKind = map[string]int64{"ETIMEDOUT": 3}
		iv.Errors = 3
	}
	for range endpoints {
		iv.Endpoints = append(iv.Endpoints, results.EndpointCount{Requests: rps / int64(max(endpoints, 1))})
	}
	return iv
}

// histOf spreads n values over 1 ms..2 s (scaled) like a long-tailed
// latency distribution, in a few hundred RecordValues calls.
func histOf(n int64, scale float64) *hdr.PackedHistogram {
	h := metrics.NewHistogram()
	left := n
	for i := 0; left > 0; i++ {
		us := int64(scale * 1000 * math.Pow(1.03, float64(i)))
		c := max(left/12, 1)
		if us > int64(2e6*scale) {
			c = left
		}
		_ = h.RecordValues(us, c)
		left -= c
	}
	return h
}

func encode(tb testing.TB, h *hdr.PackedHistogram) string {
	tb.Helper()
	s, err := metrics.EncodeHistogram(h)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

func stats(tb testing.TB, n int64, lat, svc *hdr.PackedHistogram) results.Stats {
	errs := n / 100
	ms := func(h *hdr.PackedHistogram, q float64) float64 { return float64(h.ValueAtPercentile(q)) / 1000 }
	summary := func(h *hdr.PackedHistogram) results.Latency {
		return results.Latency{Min: ms(h, 0), Mean: h.Mean() / 1000, P50: ms(h, 50), P90: ms(h, 90), P95: ms(h, 95),
			P99: ms(h, 99), P999: ms(h, 99.9), Max: float64(h.Max()) / 1000, Sample: h.TotalCount()}
	}
	return results.Stats{Requests: n, Errors: 3, Failures: errs + 3, FailureRatePct: results.Pct(errs+3, n),
		ErrorRatePct: results.Pct(3, n), Codes: map[string]int64{"200": n - errs - 3, "503": errs},
		ErrorKind: map[string]int64{"ETIMEDOUT": 3}, RPS: float64(n) / 3600, BytesSent: n * 120, BytesRecv: n * 800,
		Latency: summary(lat), Service: summary(svc),
		Hist: results.Histograms{Latency: encode(tb, lat), Service: encode(tb, svc)}}
}

// renderString writes the report of r to a string.
func renderString(tb testing.TB, r *results.Results, opts Options) string {
	tb.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, r, opts); err != nil {
		tb.Fatal(err)
	}
	return buf.String()
}

var dataBlock = regexp.MustCompile(`(?s)<script type="application/json" id="surge-data">(.*?)</script>`)

// embeddedData parses the report's JSON data block back.
func embeddedData(tb testing.TB, html string) pageData {
	tb.Helper()
	m := dataBlock.FindAllStringSubmatch(html, -1)
	if len(m) != 1 {
		tb.Fatalf("want one data block, found %d", len(m))
	}
	var d pageData
	if err := json.Unmarshal([]byte(m[0][1]), &d); err != nil {
		tb.Fatalf("data block does not parse: %v", err)
	}
	return d
}
