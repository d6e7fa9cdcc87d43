package dashboard

import (
	"bufio"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/results"
)

// overloadSlow is how long an overloadedTarget takes to succeed: far
// longer than its failures, whatever the machine's load, and short enough
// for a test.
const overloadSlow = 60 * time.Millisecond

// overloadSeconds is the traffic publishOverload sends, second by second:
// requests to GET /a (aSlow of them slow successes, the rest fast 503s)
// and to GET /down (every one a 503). In the second second nothing
// succeeds.
var overloadSeconds = []struct{ a, aSlow, down int }{{16, 4, 4}, {8, 0, 2}, {5, 1, 1}}

// overloadedTarget starts a loopback server that answers as an overloaded
// service does: a 503 at once, except to a request for ?slow, which gets
// a 200 after overloadSlow.
func overloadedTarget(t *testing.T) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !r.URL.Query().Has("slow") {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		time.Sleep(overloadSlow)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// overload is the traffic of publishOverload, recorded as the engine
// records it, with reference histograms of the latency of the requests
// that did not fail built from the same samples.
type overload struct {
	t      *testing.T
	target string
	rec    *metrics.Recorder
	n      uint64
	// okSeconds holds each second's (every endpoint), okA and okTotal
	// the whole run's of GET /a and of every endpoint; GET /down has none.
	okSeconds    []*hdr.PackedHistogram
	okA, okTotal *hdr.PackedHistogram
}

// publishOverload sends overloadSeconds to an overloadedTarget for real,
// publishes each second to s, and calls after (if not nil) once each is
// published.
func publishOverload(t *testing.T, s *Server, after func(o *overload, sec int)) *overload {
	t.Helper()
	t0 := time.Unix(1700000000, 0)
	o := &overload{t: t, target: overloadedTarget(t), rec: metrics.NewRecorder([]string{"GET /a", "GET /down"}, 1, t0),
		okA: metrics.NewHistogram(), okTotal: metrics.NewHistogram()}
	for i, sec := range overloadSeconds {
		o.okSeconds = append(o.okSeconds, metrics.NewHistogram())
		for j := range sec.a {
			o.send(0, j < sec.aSlow)
		}
		for range sec.down {
			o.send(1, false)
		}
		s.Publish(o.rec.Flush(t0.Add(time.Duration(i+1)*time.Second), i == len(overloadSeconds)-1), nil)
		if after != nil {
			after(o, i)
		}
	}
	return o
}

// send makes one request of endpoint e and records it.
func (o *overload) send(e int, slow bool) {
	o.t.Helper()
	url := o.target + "/"
	if slow {
		url += "?slow"
	}
	start := time.Now()
	resp, err := http.Get(url)
	if err != nil {
		o.t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	took := time.Since(start)
	expected := metrics.DefaultExpected()
	smp := metrics.Sample{Endpoint: e, Latency: took, Service: took, Status: resp.StatusCode, Failed: !expected.Has(resp.StatusCode)}
	o.rec.Record(o.n, &smp)
	o.n++
	if smp.Failed {
		return
	}
	for _, h := range []*hdr.PackedHistogram{o.okSeconds[len(o.okSeconds)-1], o.okTotal, o.okA} {
		h.RecordValue(took.Microseconds())
	}
}

// want is what the dashboard must show for h: its percentiles as the
// results file writes them, or nothing when it holds no request.
func want(h *hdr.PackedHistogram) *Percentiles {
	if h.TotalCount() == 0 {
		return nil
	}
	l := results.Summarise(h)
	return &Percentiles{P50: l.P50, P95: l.P95, P99: l.P99}
}

// nextFrame reads server-sent events from br up to the next frame.
func nextFrame(t *testing.T, br *bufio.Reader) (Frame, string) {
	t.Helper()
	var name string
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			t.Fatalf("event stream: %v", err)
		}
		line = strings.TrimRight(line, "\n")
		if n, ok := strings.CutPrefix(line, "event: "); ok {
			name = n
		}
		if data, ok := strings.CutPrefix(line, "data: "); ok && name == "frame" {
			var f Frame
			if err := json.Unmarshal([]byte(data), &f); err != nil {
				t.Fatal(err)
			}
			return f, data
		}
	}
}

// samePercentiles says whether a is b, or both are nothing.
func samePercentiles(a, b *Percentiles) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

// Against a server that fails fast and succeeds slowly, each frame the
// event stream pushes carries the latency of the requests that did not
// fail: the second's (its chart point), the run's and each endpoint's,
// the percentiles of the very samples recorded; slow where the latency of
// every request is fast; null, never 0, where nothing succeeded. The
// results file downloaded from the same dashboard holds the same figures.
func TestFramesCarryTheLatencyOfTheRequestsThatDidNotFail(t *testing.T) {
	s, _, srv := newTestServer(t, "")
	s.BeginRun(results.Test{Name: "overload"})
	client := &http.Client{Timeout: 60 * time.Second}
	resp, err := client.Get(srv.URL + "/api/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	br := bufio.NewReader(resp.Body)
	var last Frame
	o := publishOverload(t, s, func(o *overload, sec int) {
		f, raw := nextFrame(t, br)
		checkPoint(t, sec, f, raw, want(o.okSeconds[sec]))
		last = f
	})
	checkRows(t, last, o)
	_, body := get(t, srv.URL+"/api/results.json", nil)
	var r results.Results
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		t.Fatal(err)
	}
	if got := percentilesOK(r.Aggregate.LatencyOK); !samePercentiles(got, last.Summary.LatencyOK) {
		t.Errorf("results file %+v, final frame %+v", got, last.Summary.LatencyOK)
	}
	for i, e := range r.Endpoints {
		if got := percentilesOK(e.LatencyOK); !samePercentiles(got, last.Endpoints[i].LatencyOK) {
			t.Errorf("%s: results file %+v, final frame %+v", e.Name, got, last.Endpoints[i].LatencyOK)
		}
	}
}

// checkPoint holds the frame of second sec to the latency of that
// second's requests that did not fail: want, or a gap when none did.
func checkPoint(t *testing.T, sec int, f Frame, raw string, want *Percentiles) {
	t.Helper()
	if f.Point == nil || f.Point.LatencyOK == nil || len(f.Point.LatencyOK.P50) != 1 || f.Summary.LatencyOK == nil {
		t.Fatalf("second %d: point %+v, summary %+v: no latency of the requests that did not fail", sec, f.Point, f.Summary.LatencyOK)
	}
	p := f.Point.LatencyOK
	got := []float64{p.P50[0], p.P95[0], p.P99[0]}
	if want == nil {
		if !strings.Contains(raw, `"latency_ok":{"p50":[null],"p95":[null],"p99":[null]}`) {
			t.Errorf("second %d, in which nothing succeeded: latency_ok %v, want null (a gap), not 0", sec, got)
		}
		return
	}
	for i, w := range []float64{want.P50, want.P95, want.P99} {
		// The chart's series keep six significant digits.
		if math.Abs(got[i]-w) > 1e-5*w {
			t.Errorf("second %d: latency_ok %v, the samples' %+v", sec, got, *want)
		}
	}
}

// checkRows holds the final frame's summary and table to the whole run's
// samples: the requests that did not fail were the slow ones, while the
// latency of every request is a fast failure's; GET /down, which never
// succeeded, has none.
func checkRows(t *testing.T, f Frame, o *overload) {
	t.Helper()
	if len(f.Endpoints) != 3 || f.Endpoints[0].Name != "GET /a" || f.Endpoints[1].Name != "GET /down" {
		t.Fatalf("rows %+v", f.Endpoints)
	}
	for _, c := range []struct {
		what      string
		got, want *Percentiles
	}{
		{"summary", f.Summary.LatencyOK, want(o.okTotal)},
		{"GET /a", f.Endpoints[0].LatencyOK, want(o.okA)},
		{"GET /down", f.Endpoints[1].LatencyOK, nil},
		{"Aggregated", f.Endpoints[2].LatencyOK, want(o.okTotal)},
	} {
		if !samePercentiles(c.got, c.want) {
			t.Errorf("%s: latency_ok %+v, the samples' %+v", c.what, c.got, c.want)
		}
	}
	ok := f.Summary.LatencyOK
	if ok == nil || ok.P50 < float64(overloadSlow/time.Millisecond) || f.Summary.P50 >= ok.P50 {
		t.Errorf("p50 %v ms of every request, %+v of those that did not fail: want the second slow, %v or more, the first faster",
			f.Summary.P50, ok, overloadSlow)
	}
}
