package promexport

import (
	"io"
	"net/http"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/surge-dev/surge/metrics"
)

// snapshot is two seconds of two endpoints: GET /a answers 200 in 1 to
// 100 ms, GET /b times out or answers 503.
func snapshot(t *testing.T) metrics.Snapshot {
	t.Helper()
	t0 := time.Unix(1700000000, 0)
	rec := metrics.NewRecorder([]string{"GET /a", "GET /b"}, 1, t0)
	resent, _ := metrics.RegisterCounter(metrics.ResentCounter)
	var s metrics.Snapshot
	for sec := 1; sec <= 2; sec++ {
		for i := range 100 {
			span := rec.VUStarted(uint64(i))
			a := metrics.Sample{Endpoint: 0, Latency: time.Duration(i+1) * time.Millisecond, Service: time.Millisecond, Status: 200}
			rec.Record(uint64(i), &a)
			b := metrics.Sample{Endpoint: 1, Latency: time.Second, Service: time.Second, Status: 503, Failed: true}
			if i%4 == 0 {
				b.Status, b.Err = 0, metrics.ErrTimeout
			}
			rec.Record(uint64(i), &b)
			rec.VUFinished(uint64(i), span, "", "")
		}
		rec.Count(0, resent, 3)
		s = rec.Flush(t0.Add(time.Duration(sec)*time.Second), sec == 2)
	}
	return s
}

func scrape(t *testing.T, addr, accept string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("GET", "http://"+addr+"/metrics", nil)
	req.Header.Set("Accept", accept)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func serve(t *testing.T) (*Exporter, string) {
	t.Helper()
	e := NewExporter(Test{Name: "t", Target: "http://127.0.0.1"})
	s, err := Serve("127.0.0.1:0", e)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	snap := snapshot(t)
	e.Update(&snap)
	return e, s.Addr()
}

// TestScrapeTextHasTheTotals: the text format carries the snapshot's
// totals by endpoint, errors by kind and responses by code, and the
// classic buckets.
func TestScrapeTextHasTheTotals(t *testing.T) {
	_, addr := serve(t)
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(scrape(t, addr, "text/plain").Body)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{
		`surge_requests_total{endpoint="GET /a"}`:                   200,
		`surge_failures_total{endpoint="GET /b"}`:                   200,
		`surge_errors_total{endpoint="GET /b",kind="ETIMEDOUT"}`:    50,
		`surge_responses_total{code="503",endpoint="GET /b"}`:       150,
		`surge_responses_total{code="200",endpoint="GET /a"}`:       200,
		`surge_vus_created_total`:                                   200,
		`surge_requests_resent_total`:                               6,
		`surge_latency_seconds_bucket{endpoint="GET /a",le="0.01"}`: 20,
		`surge_latency_seconds_bucket{endpoint="GET /a",le="0.1"}`:  200,
		`surge_latency_seconds_bucket{endpoint="GET /b",le="0.5"}`:  0,
		`surge_latency_seconds_count{endpoint="GET /b"}`:            200,
		`surge_latency_ok_seconds_count{endpoint="GET /a"}`:         200, // none failed
		`surge_latency_ok_seconds_count{endpoint="GET /b"}`:         0,   // all failed
	}
	got := flatten(fams)
	for series, v := range want {
		if got[series] != v {
			t.Errorf("%s = %v, want %v", series, got[series], v)
		}
	}
}

// flatten renders every sample as name{labels} → value, histograms as
// their classic series.
func flatten(fams map[string]*dto.MetricFamily, extra ...label) map[string]float64 {
	out := map[string]float64{}
	for name, f := range fams {
		for _, m := range f.GetMetric() {
			labels := append(pairs(m.GetLabel()), extra...)
			switch f.GetType() {
			case dto.MetricType_HISTOGRAM:
				addHistogram(func(n string, l []label, v float64) { out[render(n, l)] = v }, name, labels, m.GetHistogram())
			case dto.MetricType_COUNTER:
				out[render(name, labels)] = m.GetCounter().GetValue()
			case dto.MetricType_GAUGE:
				out[render(name, labels)] = m.GetGauge().GetValue()
			}
		}
	}
	return out
}

func render(name string, labels []label) string {
	if len(labels) == 0 {
		return name
	}
	s := name + "{"
	for i, l := range sortedLabels(labels) {
		if i > 0 {
			s += ","
		}
		s += l.name + `="` + l.value + `"`
	}
	return s + "}"
}

// TestScrapeProtobufHasNativeHistograms: a scraper that asks for the
// protobuf format (as Prometheus does with native histograms on) gets
// each histogram as a native one, schema NativeSchema, whose buckets
// hold every value, with the classic buckets beside it.
func TestScrapeProtobufHasNativeHistograms(t *testing.T) {
	_, addr := serve(t)
	resp := scrape(t, addr, "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited")
	dec := expfmt.NewDecoder(resp.Body, expfmt.ResponseFormat(resp.Header))
	seen := 0
	for {
		var f dto.MetricFamily
		if err := dec.Decode(&f); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		for _, m := range f.GetMetric() {
			h := m.GetHistogram()
			if h == nil {
				continue
			}
			seen++
			var native int64
			var delta int64
			for _, d := range h.GetPositiveDelta() {
				delta += d
				native += delta
			}
			if h.GetSchema() != NativeSchema || uint64(native) != h.GetSampleCount() || len(h.GetBucket()) != len(ClassicBounds) ||
				h.GetCreatedTimestamp().AsTime().Unix() != 1700000000 {
				t.Errorf("%s %v: schema %d, native buckets hold %d of %d, %d classic buckets, created %v", f.GetName(),
					m.GetLabel(), h.GetSchema(), native, h.GetSampleCount(), len(h.GetBucket()), h.GetCreatedTimestamp().AsTime())
			}
		}
	}
	if seen != 6 {
		t.Fatalf("%d histograms, want latency, service time and latency_ok of two endpoints", seen)
	}
}
