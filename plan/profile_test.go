package plan

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/surge-dev/surge/results"
	"github.com/surge-dev/surge/schedule"
)

func TestFromPhases(t *testing.T) {
	tests := []struct {
		name   string
		phases []schedule.Phase
		want   []int64
	}{
		// The scheduler's first arrival comes one gap in, its last at the
		// very end, which opens one more second.
		{"constant", []schedule.Phase{constantPhase(4, 3*time.Second)}, []int64{3, 4, 4, 1}},
		{"pause then count", []schedule.Phase{{Kind: schedule.Pause, Duration: 2 * time.Second},
			{Kind: schedule.Count, ArrivalCount: 6, Duration: 2 * time.Second}}, []int64{0, 0, 2, 3, 1}},
		// Rates 0, 10, 20, 30: each second's last arrival is due at its end.
		{"ramp counts per second", []schedule.Phase{rampPhase(0, 30, 4*time.Second)}, []int64{0, 9, 20, 30, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := FromPhases(tt.phases)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(p.Arrivals, tt.want) {
				t.Fatalf("arrivals per second %v, want %v", p.Arrivals, tt.want)
			}
		})
	}
}

func TestProfileRefusals(t *testing.T) {
	tests := []struct {
		name string
		err  func() error
		want string
	}{
		{"users phase", func() error {
			_, err := FromPhases([]schedule.Phase{{Kind: schedule.Users, Name: "loop", Users: 3, Duration: time.Second}})
			return err
		}, "closed model"},
		{"nothing sent", func() error {
			_, err := FromPhases([]schedule.Phase{{Kind: schedule.Pause, Duration: time.Second}})
			return err
		}, "sends no request"},
		{"too many", func() error {
			_, err := FromPhases([]schedule.Phase{constantPhase(1e6, time.Minute)})
			return err
		}, "at most"},
		{"no intervals", func() error { _, err := FromResults(&results.Results{}); return err }, "no per-second intervals"},
		{"empty profile", func() error { return Profile{}.Validate() }, "empty"},
		{"negative", func() error { return Profile{Arrivals: []int64{1, -1}}.Validate() }, "negative"},
		{"unknown statistic", func() error { _, err := MeasuredDuration(&results.Results{}, "p42"); return err }, "p42"},
		{"no service time", func() error { _, err := MeasuredDuration(&results.Results{}, "p99"); return err }, "no service time"},
	}
	for _, tt := range tests {
		if err := tt.err(); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want one mentioning %q", tt.name, err, tt.want)
		}
	}
}

// TestFromResults skips the seconds before a statistics reset, and, from
// a file without the successes' service time, the measured mean duration
// leaves out the seconds with failures, whose fast 429s would pull it
// down; a percentile, or the mean with no clean second, says it has the
// failures in it.
func TestFromResults(t *testing.T) {
	iv := func(requests, failures int64, meanMs float64, beforeReset bool) results.Interval {
		return results.Interval{Requests: requests, Failures: failures, Service: results.Latency{Mean: meanMs}, BeforeReset: beforeReset}
	}
	r := &results.Results{Intervals: []results.Interval{
		iv(50, 0, 900, true), iv(100, 0, 200, false), iv(300, 0, 400, false), iv(1000, 600, 30, false),
	}}
	r.Aggregate.Service.P95, r.Aggregate.Failures = 450, 600
	p, err := FromResults(r)
	if err != nil || !slices.Equal(p.Arrivals, []int64{100, 300, 1000}) {
		t.Fatalf("profile %v, %v; want [100 300 1000] (no users: completed requests)", p.Arrivals, err)
	}
	// Users created per second, two requests each: 1,400 requests over
	// 700 users, whatever second they completed in.
	for i, created := range []int64{0, 100, 500, 100} {
		r.Intervals[i].VUsers.Created = created
	}
	if p, _ = FromResults(r); !slices.Equal(p.Arrivals, []int64{200, 1000, 200}) {
		t.Fatalf("profile %v, want [200 1000 200] (users created × 2 requests each)", p.Arrivals)
	}
	if d, err := MeasuredDuration(r, "mean"); err != nil || d != (Measured{Duration: 350 * time.Millisecond}) {
		t.Fatalf("mean duration %+v, %v; want 350ms from the clean seconds", d, err)
	}
	if d, _ := MeasuredDuration(r, "p95"); d != (Measured{450 * time.Millisecond, true}) {
		t.Fatalf("p95 duration %+v, want 450ms with failures", d)
	}
	r.Intervals = r.Intervals[3:] // only a failing second: average it anyway
	if d, _ := MeasuredDuration(r, "mean"); d != (Measured{30 * time.Millisecond, true}) {
		t.Fatalf("mean duration with no clean second %+v, want 30ms with failures", d)
	}
}

// TestMeasuredDurationFromTheSuccesses: where the file holds the service
// time of the requests that did not fail, every statistic is theirs,
// whatever the failures' service time and the seconds they fell in; a
// file in which no request succeeded falls back to every request's.
func TestMeasuredDurationFromTheSuccesses(t *testing.T) {
	r := &results.Results{Intervals: []results.Interval{
		{Requests: 100, Service: results.Latency{Mean: 200}}, {Requests: 1000, Failures: 600, Service: results.Latency{Mean: 30}},
	}}
	r.Aggregate.Requests, r.Aggregate.Failures = 1100, 600
	r.Aggregate.Service = results.Latency{Mean: 25, P50: 0.4, P99: 48}
	r.Aggregate.ServiceOK = &results.Latency{Mean: 40.2, P50: 40, P90: 41, P95: 42, P99: 47, Sample: 500}
	for stat, want := range map[string]time.Duration{"mean": 40200 * time.Microsecond, "p50": 40 * time.Millisecond,
		"p90": 41 * time.Millisecond, "p95": 42 * time.Millisecond, "p99": 47 * time.Millisecond} {
		if d, err := MeasuredDuration(r, stat); err != nil || d != (Measured{Duration: want}) {
			t.Errorf("%s: %+v, %v; want %v of the successes alone", stat, d, err, want)
		}
	}
	r.Aggregate.ServiceOK = &results.Latency{} // none succeeded
	if d, _ := MeasuredDuration(r, "p50"); d != (Measured{400 * time.Microsecond, true}) {
		t.Errorf("p50 with no success: %+v, want every request's 400µs, failures in it", d)
	}
}

func TestRoundDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{44515289 * time.Nanosecond: "44.5ms", time.Second: "1s",
		250 * time.Millisecond: "250ms", 1234567 * time.Microsecond: "1.23s", 421 * time.Microsecond: "421µs", 7: "7ns"} {
		if got := RoundDuration(d).String(); got != want {
			t.Errorf("RoundDuration(%v) = %s, want %s", d, got, want)
		}
	}
}

func TestStretch(t *testing.T) {
	p := Profile{Arrivals: []int64{1, 5}}.Stretch(3)
	if !slices.Equal(p.Arrivals, []int64{1, 1, 1, 5, 5, 5}) {
		t.Fatalf("stretched %v", p.Arrivals)
	}
}
