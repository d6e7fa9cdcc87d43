package story

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/surge-dev/surge/results"
)

// second is one second of a synthetic run: what the client saw and what
// the monitor scraped at its end.
type second struct {
	arrivals, ok, refused int64
	mon                   map[string]float64
}

// synthRun builds a results document of one request per arrival.
func synthRun(secs []second) *results.Results {
	r := &results.Results{}
	for i, s := range secs {
		codes := map[string]int64{"200": s.ok}
		if s.refused > 0 {
			codes["429"] = s.refused
		}
		r.Intervals = append(r.Intervals, results.Interval{Index: i, DurationS: 1, Requests: s.ok + s.refused,
			Codes: codes, VUsers: results.VUs{Created: s.arrivals}, Monitor: s.mon})
	}
	return r
}

const lambdaLegacy500 = `surge_lambda_settings{account_concurrency="3000",burst="500",handler_seconds="1",` +
	`idle_expiry_seconds="600",init_seconds="0",provisioned_concurrency="0",rate_window_seconds="1",` +
	`requests_per_environment="10",reserved_concurrency="0",scaling_model="legacy",time_scale="60",timeout_seconds="3"}`

const scalingThrottles = `surge_lambda_throttles_total{cause="scaling_rate",reason="ConcurrentInvocationLimitExceeded"}`

// lambdaBurst is 100 arrivals/s, then 1,500/s from 0:05, against a
// legacy burst of 500: the scaling rate throttles seconds 5 to 7.
func lambdaBurst(settings bool) *results.Results {
	var secs []second
	var throttled, cold float64
	for i := range 12 {
		s := second{arrivals: 100, ok: 100, mon: map[string]float64{}}
		conc := 100.0
		if i >= 5 {
			s.arrivals = 1500
			conc = math.Min(1500, 600+400*float64(i-5))
			s.refused = 1500 - int64(conc)
			s.ok = s.arrivals - s.refused
			throttled += float64(s.refused)
			cold += conc - 100
		}
		s.mon[lambdaConcurrency] = conc
		s.mon[lambdaLimit] = 3000
		s.mon[lambdaScaling] = conc + 500
		s.mon[scalingThrottles] = throttled
		s.mon[lambdaCold] = cold
		if settings {
			s.mon[lambdaLegacy500] = 1
		}
		secs = append(secs, s)
	}
	return synthRun(secs)
}

const fleetSettingsKey = `surge_fleet_settings{deregistration_delay_seconds="300",desired_tasks="1",disable_scale_in="false",` +
	`health_check_delay_seconds="30",max_tasks="8",min_tasks="1",policy="target",scale_in_cooldown_seconds="300",` +
	`scale_in_datapoints="15",scale_in_ratio="0.9",scale_out_cooldown_seconds="300",scale_out_datapoints="3",` +
	`target_cpu="50",target_requests_per_task="0",task_capacity="100",task_start_seconds="60",time_scale="60"}`

// fleetScaleOut is 20 requests/s, then 150/s from 0:05 on one task of
// 100/s: refusals until the scale-out to 3 tasks decided at 0:08 runs
// at 0:10.
func fleetScaleOut() *results.Results {
	var secs []second
	var overloaded float64
	for i := range 14 {
		s := second{arrivals: 20, ok: 20, mon: map[string]float64{fleetSettingsKey: 1}}
		desired, running, cpu := 1.0, 1.0, 20.0
		if i >= 5 {
			s.arrivals, cpu = 150, 100
		}
		if i >= 8 {
			desired = 3
		}
		if i >= 10 {
			running, cpu = 3, 50
		}
		if s.arrivals > int64(100*running) {
			s.refused = s.arrivals - int64(100*running)
			overloaded += float64(s.refused)
		}
		s.ok = s.arrivals - s.refused
		s.mon[fleetDesired], s.mon[fleetRunning], s.mon[fleetCPU] = desired, running, cpu
		s.mon[fleetRequests+`{outcome="overloaded"}`] = overloaded
		s.mon[fleetVirtual] = float64(i+1) * 60
		secs = append(secs, s)
	}
	return synthRun(secs)
}

// fleetScaleOutTwice is fleetScaleOut with one more scale-out, 3→4,
// first scraped in the second after the refusals stopped.
func fleetScaleOutTwice() *results.Results {
	r := fleetScaleOut()
	for i := 10; i < len(r.Intervals); i++ {
		r.Intervals[i].Monitor[fleetDesired] = 4
	}
	return r
}

// lagged moves every scrape k seconds later, as a monitor whose scrapes
// land in the next second records them.
func lagged(r *results.Results, k int) *results.Results {
	ivs := r.Intervals
	for i := len(ivs) - 1; i >= 0; i-- {
		ivs[i].Monitor = ivs[max(0, i-k)].Monitor
	}
	return r
}

func TestBuild(t *testing.T) {
	cases := []struct {
		name      string
		r         *results.Results
		kind      Kind
		predicted bool
		charts    []string
		says      []string
		gap       *Window
	}{
		{"lambda burst against the legacy burst limit", lambdaBurst(true), Lambda, true,
			[]string{"load", "concurrency", "throttles", "cold-starts"},
			[]string{"Throttled from 0:05 to 0:08", "the burst limit of 500 was reached; +500 per minute after",
				"time scale 60", "The model predicted"}, &Window{5, 8}},
		{"lambda whose scrapes trail the client by a second", lagged(lambdaBurst(true), 1), Lambda, true,
			[]string{"load", "concurrency", "throttles", "cold-starts"},
			[]string{"Throttled from 0:05 to 0:08", "the burst limit of 500"}, &Window{5, 8}},
		{"lambda without its settings: no prediction, the cause still named", lambdaBurst(false), Lambda, false,
			[]string{"load", "concurrency", "throttles", "cold-starts"},
			[]string{"Throttled from 0:05 to 0:08", "could not be created fast enough"}, &Window{5, 8}},
		{"fleet scale-out", fleetScaleOut(), Fleet, true,
			[]string{"load", "tasks", "refused", "cpu"},
			[]string{"Refused from 0:05 to 0:10", "the scale-out lag", "3 one-minute datapoints above the 50 % CPU target",
				"60 s to start and 30 s to pass its health check", "scale-out 1→3 came at 0:08", "tasks ran from 0:10",
				"The model predicted"}, &Window{5, 10}},
		{"fleet scale-out, then another once the refusals stopped", fleetScaleOutTwice(), Fleet, true,
			[]string{"load", "tasks", "refused", "cpu"},
			[]string{"Refused from 0:05 to 0:10", "scale-out 1→3 came at 0:08", "tasks ran from 0:10"}, &Window{5, 10}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := Build(c.r, Options{})
			if st == nil {
				t.Fatal("no story")
			}
			if st.Kind != c.kind || st.Predicted != c.predicted {
				t.Errorf("kind %s, predicted %v; want %s, %v", st.Kind, st.Predicted, c.kind, c.predicted)
			}
			var ids []string
			for _, ch := range st.Charts {
				ids = append(ids, ch.ID)
				for _, l := range ch.Lines {
					if len(l.Values) != len(st.T) {
						t.Errorf("chart %s line %s: %d values for %d times", ch.ID, l.Label, len(l.Values), len(st.T))
					}
				}
			}
			if fmt.Sprint(ids) != fmt.Sprint(c.charts) {
				t.Errorf("charts %v, want %v", ids, c.charts)
			}
			for _, s := range c.says {
				if !strings.Contains(st.Sentence, s) {
					t.Errorf("sentence %q does not say %q", st.Sentence, s)
				}
			}
			if st.Gap == nil || *st.Gap != *c.gap {
				t.Errorf("gap %+v, want %+v", st.Gap, c.gap)
			}
			if _, err := json.Marshal(st); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// A run that monitored no scaling target, or nothing, has no story.
func TestBuildWithoutScalingSeries(t *testing.T) {
	plain := synthRun([]second{{arrivals: 10, ok: 10, mon: map[string]float64{"http_requests_total": 10}}, {arrivals: 10, ok: 10}})
	for _, r := range []*results.Results{nil, {}, plain} {
		if st := Build(r, Options{}); st != nil {
			t.Errorf("story %+v for a run without scaling series", st)
		}
	}
}

// The dashboard asks for the story every second: a long run with no
// scaling target must not be read whole each time to find none.
func TestBuildWithoutScalingSeriesReadsNothing(t *testing.T) {
	secs := make([]second, 7200)
	for i := range secs {
		secs[i] = second{arrivals: 10, ok: 10, mon: map[string]float64{"http_requests_total": float64(i)}}
	}
	r := synthRun(secs)
	if allocs := testing.AllocsPerRun(3, func() { Build(r, Options{}) }); allocs != 0 {
		t.Errorf("Build allocated %v times for a run without scaling series", allocs)
	}
}

// Runs against the real emulators (report/testdata, made as
// docs/scaling.md says): the sentence names the limit and the times, and
// the model's replay of the offered load agrees with the emulator; the
// fleet scales out under the load and back in after it.
func TestBuildFromEmulatorRuns(t *testing.T) {
	cases := []struct {
		file string
		kind Kind
		says []string
	}{
		{"story-lambda.json", Lambda, []string{"Throttled from 0:06 to 0:18", "the burst limit of 500 was reached; +500 per minute after"}},
		{"story-fleet.json", Fleet, []string{"No request was refused", "the scale-out lag", "scale-out 1→2 came at 1:21",
			"The model predicted: scale-out 1→2 at 1:17, scale-out 2→3 at 1:18, scale-out 3→5 at 1:32"}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			r, err := results.ReadFile("../testdata/" + c.file)
			if err != nil {
				t.Fatal(err)
			}
			st := Build(r, Options{})
			if st == nil || st.Kind != c.kind || !st.Predicted {
				t.Fatalf("story %+v", st)
			}
			for _, s := range c.says {
				if !strings.Contains(st.Sentence, s) {
					t.Errorf("sentence %q does not say %q", st.Sentence, s)
				}
			}
			if c.kind == Fleet && !scaledInAfter(st) {
				t.Errorf("no scale-in after the refusals ended (%+v): events %+v", st.Gap, st.Events)
			}
			if c.kind == Lambda {
				seen, predicted := lineSum(t, st, "throttles", "scaling rate"), lineSum(t, st, "throttles", "throttles, predicted")
				if math.Abs(predicted-seen) > 0.15*seen {
					t.Errorf("throttles: %v seen, %v predicted", seen, predicted)
				}
			}
		})
	}
}

// scaledInAfter: the service scaled in, seen and predicted, after the
// span the sentence explains (without one, after its last scale-out).
func scaledInAfter(st *Story) bool {
	seen := false
	var after float64 // the gap's end, or without one the last scale-out
	for _, e := range st.Events {
		if st.Gap == nil && e.Kind == "scale-out" {
			after = max(after, e.T)
		}
	}
	if st.Gap != nil {
		after = st.Gap.To
	}
	for _, e := range st.Events {
		seen = seen || e.Kind == "scale-in" && e.T > after
	}
	var predicted []float64
	for _, c := range st.Charts {
		for _, l := range c.Lines {
			if c.ID == "tasks" && l.Label == "running, predicted" {
				predicted = l.Values
			}
		}
	}
	return seen && len(predicted) > 0 && predicted[len(predicted)-1] < slices.Max(predicted)
}

func lineSum(t *testing.T, st *Story, chartID, label string) float64 {
	t.Helper()
	for _, c := range st.Charts {
		for _, l := range c.Lines {
			if c.ID == chartID && l.Label == label {
				return l.Values.sum()
			}
		}
	}
	t.Fatalf("no line %q in chart %s", label, chartID)
	return 0
}

// The dashboard's budget: a run with more arrivals than it is told
// without a prediction, and Last keeps the sentence of the whole run.
func TestReplayBudgetAndLast(t *testing.T) {
	r := lambdaBurst(true)
	if st := Build(r, Options{ReplayBudget: 1000}); st == nil || st.Predicted || len(st.Notes) != 1 || !strings.Contains(st.Notes[0], "1,000 arrivals") {
		t.Errorf("a run of 15,500 arrivals was replayed on a budget of 1,000: %+v", st)
	}
	st := Build(r, Options{})
	last := st.Last(4)
	if len(last.T) != 4 || last.T[0] != 8 || last.Sentence != st.Sentence || len(st.T) != 12 {
		t.Fatalf("Last(4): t %v, sentence %q", last.T, last.Sentence)
	}
	for _, c := range last.Charts {
		for _, l := range c.Lines {
			if len(l.Values) != 4 {
				t.Errorf("%s %s: %d values", c.ID, l.Label, len(l.Values))
			}
		}
	}
}
