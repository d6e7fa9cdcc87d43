package report

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/results"
)

// twoEndpointRun is 3 s of a test with two endpoints called and a third
// never reached (a VU failed before it), built by the real recorder and
// builder.
func twoEndpointRun(t *testing.T) *results.Results {
	t.Helper()
	names := []string{"GET /a", "GET /b", "GET /never"}
	rec := metrics.NewRecorder(names, 2, t0)
	b := results.Builder{Test: results.Test{Name: "three", Target: "http://127.0.0.1:1", Started: t0,
		ExpectStatus: "100-399"}}
	for sec := 1; sec <= 3; sec++ {
		for i := range 50 {
			rec.Record(uint64(i), &metrics.Sample{Endpoint: i % 2, Latency: time.Duration(1+i%2) * 4 * time.Millisecond, Status: 200})
		}
		b.Add(rec.Flush(t0.Add(time.Duration(sec)*time.Second), sec == 3))
	}
	r, err := b.Results()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// cutStream writes r as a run's stream killed before its end line, and
// reads it back as surge report does.
func cutStream(t *testing.T, r *results.Results) *results.Results {
	t.Helper()
	var buf bytes.Buffer
	var names []string
	for _, e := range r.Endpoints {
		names = append(names, e.Name)
	}
	sw, err := results.NewStreamWriter(&buf, results.StreamHeader{Test: r.Test, Endpoints: names})
	if err != nil {
		t.Fatal(err)
	}
	for _, iv := range r.Intervals {
		if err := sw.Interval(iv); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "run.jsonl")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	cut, err := results.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return cut
}

// TestUnknownLatencyIsNotZero: an endpoint whose latency the results do
// not hold (a stream cut short keeps it only for all endpoints together;
// an endpoint never called has none) shows "–", as the terminal summary
// shows "-", never "0", which reads as a measured latency of nothing.
func TestUnknownLatencyIsNotZero(t *testing.T) {
	whole := tableView(twoEndpointRun(t), Options{})
	if e := whole.Endpoints[0]; e.P50 != "4 ms" || e.Max != "4 ms" {
		t.Errorf("complete run, GET /a: %+v, want 4 ms", e)
	}
	if e := whole.Endpoints[2]; e.Requests != "0" || e.P50 != "–" || e.P99 != "–" || e.Max != "–" {
		t.Errorf("complete run, endpoint never called: %+v, want – for its latency", e)
	}
	cut := cutStream(t, twoEndpointRun(t))
	if cut.Endpoints[0].Requests != 75 {
		t.Fatalf("cut stream: GET /a has %d requests, want 75", cut.Endpoints[0].Requests)
	}
	v := tableView(cut, Options{})
	for _, e := range v.Endpoints {
		for _, s := range []string{e.P50, e.P95, e.P99, e.P999, e.Max} {
			if s != "–" {
				t.Errorf("cut stream, %s: latency %q, want – (not in the stream)", e.Name, s)
			}
		}
	}
	if l := v.Latency[0]; l.P50 == "–" || l.Cnt != "150" {
		t.Errorf("cut stream: the aggregate's latency %+v is in the stream", l)
	}
}

// TestEmptyRunShowsNoLatency: a run without a single request has no
// latency to show, in the summary cards or the latency table.
func TestEmptyRunShowsNoLatency(t *testing.T) {
	v := tableView(&results.Results{Schema: results.Schema}, Options{})
	for _, c := range v.Cards {
		if c.Note == "latency" && c.Value != "–" {
			t.Errorf("card %s = %q, want –", c.Label, c.Value)
		}
	}
	for _, l := range v.Latency {
		if l.P50 != "–" || l.Max != "–" || l.Min != "–" || l.Cnt != "0" {
			t.Errorf("latency row %+v, want – and a count of 0", l)
		}
	}
}

// TestDroppedCardNamesBothCauses: arrivals are dropped when maxVusers VUs
// run, and also when a bounded pool (--connections, config.http.pool) had
// no connection for them in time, or at Ctrl-C; the card said only the
// first, so a run with no maxVusers at all read as if it had one. It says
// what the chart of dropped arrivals says.
func TestDroppedCardNamesBothCauses(t *testing.T) {
	r := twoEndpointRun(t)
	r.Aggregate.Dropped = 40
	for _, c := range tableView(r, Options{}).Cards {
		if c.Label == "Dropped" && (c.Value != "40" || c.Note != "arrivals never sent: maxVusers reached, or no free connection in time") {
			t.Errorf("dropped card %+v", c)
		}
	}
}
