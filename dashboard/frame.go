package dashboard

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/surge-dev/surge/console"
	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/report"
	"github.com/surge-dev/surge/results"
)

var errNoData = errors.New("dashboard: no test has produced data yet")

// frame builds the JSON pushed for one snapshot; the caller holds s.mu.
func (s *Server) frame(run *runState, snap metrics.Snapshot) ([]byte, error) {
	r, err := s.partial(run)
	if err != nil {
		return nil, err
	}
	ivs := r.Intervals
	point := report.BuildTimeline(&results.Results{Endpoints: r.Endpoints, Intervals: ivs[len(ivs)-1:]}, 1)
	f := Frame{
		State:   s.currentState(),
		Elapsed: snap.Elapsed.Seconds(),
		Final:   snap.Final,
		Point:   point,
		Summary: summary(r, snap),
	}
	f.Errors, f.ErrorsOut = run.errors.top()
	for i, e := range r.Endpoints {
		f.Endpoints = append(f.Endpoints, row(e.Name, e.Stats, currentRate(snap, endpointRequests(snap, i))))
	}
	if len(r.Endpoints) > 1 {
		f.Endpoints = append(f.Endpoints, row("Aggregated", r.Aggregate.Stats, currentRate(snap, snap.Interval.Stats.Requests)))
	}
	if s.cfg.Verdicts != nil {
		f.Verdicts = s.cfg.Verdicts(r)
	}
	f.Alerts, f.AlertsTotal = run.alerts[max(0, len(run.alerts)-MaxFrameAlerts):], len(run.alerts)
	f.Generator, f.GeneratorWarning = r.Generator, console.GeneratorWarning(r)
	f.Story = liveStory(r)
	b, err := json.Marshal(f)
	if err != nil {
		return nil, fmt.Errorf("dashboard: %w", err)
	}
	return b, nil
}

// currentRate is n requests over the interval that just closed: the
// rate now, not the average since the start. A finished test has none
// (its last interval is the tail end, often a fraction of a second).
func currentRate(snap metrics.Snapshot, n int64) *float64 {
	if snap.Final || snap.Interval.Duration <= 0 {
		return nil
	}
	v := float64(n) / snap.Interval.Duration.Seconds()
	return &v
}

func endpointRequests(snap metrics.Snapshot, i int) int64 {
	if i >= len(snap.Interval.Endpoints) {
		return 0
	}
	return snap.Interval.Endpoints[i].Requests
}

func summary(r *results.Results, snap metrics.Snapshot) Summary {
	a := r.Aggregate
	return Summary{
		Requests: a.Requests, Failures: failures(a.Stats), FailureRatePct: a.FailureRatePct,
		Errors: a.Errors, ErrorRatePct: a.ErrorRatePct, RPS: currentRate(snap, snap.Interval.Stats.Requests),
		P50: a.Latency.P50, P95: a.Latency.P95, P99: a.Latency.P99,
		ActiveVUs: snap.Interval.ActiveVUs, InFlight: snap.Interval.InFlight, Dropped: a.Dropped,
		Resent: r.Counters[metrics.ResentCounter], LatencyOK: percentilesOK(a.LatencyOK),
	}
}

// percentilesOK picks the percentiles of the latency of the requests that
// did not fail, the results' own (so the page shows what the results file
// holds); nil when none did, or when it was not recorded: its zeros are
// no measurement.
func percentilesOK(l *results.Latency) *Percentiles {
	if l == nil || l.Sample == 0 {
		return nil
	}
	return &Percentiles{P50: l.P50, P95: l.P95, P99: l.P99}
}

func row(name string, st results.Stats, current *float64) EndpointRow {
	return EndpointRow{
		Name: name, Requests: st.Requests, Failures: failures(st), FailureRatePct: st.FailureRatePct, Errors: st.Errors,
		Median: st.Latency.P50, P95: st.Latency.P95, P99: st.Latency.P99, Max: st.Latency.Max,
		RPS: current, AvgRPS: st.RPS, BytesRecv: st.BytesRecv, BytesSent: st.BytesSent,
		LatencyOK: percentilesOK(st.LatencyOK),
	}
}

// history is the whole timeline so far, sent to a browser when it
// connects; the caller holds s.mu.
func (s *Server) history(run *runState) ([]byte, error) {
	r, err := s.partial(run)
	if err != nil {
		return nil, err
	}
	return json.Marshal(report.BuildTimeline(r, report.DefaultMaxPoints))
}

// event formats one server-sent event.
func event(name string, data []byte) []byte {
	return fmt.Appendf(nil, "event: %s\ndata: %s\n\n", name, data)
}
