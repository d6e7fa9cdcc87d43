package plan

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/surge-dev/surge/scaling/fleet"
)

// TestFleetRequestCost: a request that holds its task's worker for twice
// a plain request's time plans as a service whose tasks serve half as
// many plain requests: the same tasks, CPU, admissions and activities.
func TestFleetRequestCost(t *testing.T) {
	p := constant(60, 900, 150)
	cfg := fleetConfig()
	costly, err := PlanFleetWith(p, cfg, FleetOptions{QueueTimeout: time.Second, RequestCost: 2 / cfg.TaskCapacity})
	if err != nil {
		t.Fatal(err)
	}
	half := cfg
	half.TaskCapacity /= 2
	plain, err := PlanFleet(p, half, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if len(costly.Seconds) != len(plain.Seconds) || len(plain.Summary.Activities) < 2 {
		t.Fatalf("%d seconds against %d, %d activities", len(costly.Seconds), len(plain.Seconds), len(plain.Summary.Activities))
	}
	for i, c := range costly.Seconds {
		q := plain.Seconds[i]
		if c.Desired != q.Desired || c.Healthy != q.Healthy || c.TasksNeeded != q.TasksNeeded ||
			abs(int(c.Served-q.Served)) > 1 || math.Abs(c.CPU-q.CPU) > 1e-6 {
			t.Fatalf("second %d: costly requests %+v, half-capacity tasks %+v", i, c, q)
		}
	}
	if fmt.Sprint(activityTimes(costly.Summary.Activities)) != fmt.Sprint(activityTimes(plain.Summary.Activities)) {
		t.Errorf("activities %v and %v", activityTimes(costly.Summary.Activities), activityTimes(plain.Summary.Activities))
	}
}

// TestFleetTimeScaleAndOffset: on a model clock 60 times as fast, a
// profile plans as the same profile stretched 60 times on the model's
// clock (the same activities at the same model times); with the profile
// begun 55 s into the model's clock, datapoints still close on the
// model's minutes, so each activity of the unshifted plan comes one
// datapoint later (only 5 s of the first minute carry load).
func TestFleetTimeScaleAndOffset(t *testing.T) {
	p := constant(5, 15, 300)
	cfg := fleetConfig()
	scaled, err := PlanFleetWith(p, cfg, FleetOptions{QueueTimeout: time.Second, Scale: 60})
	if err != nil {
		t.Fatal(err)
	}
	stretched, err := PlanFleet(p.Stretch(60), cfg, 60*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	want := activityTimes(stretched.Summary.Activities)
	if got := activityTimes(scaled.Summary.Activities); fmt.Sprint(got) != fmt.Sprint(want) || len(want) < 3 {
		t.Errorf("time scale 60: activities %v, stretched profile %v", got, want)
	}
	if got, want := scaled.Summary.ScaleIn, stretched.Summary.ScaleIn; abs(got.From*60-want.From) > 60 || abs(got.Until*60-want.Until) > 60 {
		t.Errorf("scale-in %+v profile seconds, stretched %+v", got, want)
	}
	shifted, err := PlanFleetWith(p, cfg, FleetOptions{QueueTimeout: time.Second, Scale: 60, Offset: 55 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	acts := shifted.Summary.Activities
	if len(acts) != len(scaled.Summary.Activities) {
		t.Fatalf("offset 55 s: %v", activityTimes(acts))
	}
	for i, a := range acts {
		b := scaled.Summary.Activities[i]
		if a.At%fleet.MetricPeriod != 0 || a.From != b.From || a.To != b.To || a.At-b.At != fleet.MetricPeriod {
			t.Errorf("offset 55 s: activity %d %v %d→%d; without the offset %v %d→%d", i, a.At, a.From, a.To, b.At, b.From, b.To)
		}
	}
}

func TestFleetOptionsRefused(t *testing.T) {
	for _, o := range []FleetOptions{
		{QueueTimeout: -time.Second}, {Scale: -1}, {Scale: math.NaN()}, {Scale: math.Inf(1)},
		{Offset: -time.Second}, {RequestCost: -0.01}, {RequestCost: math.Inf(1)}, {RequestCost: math.NaN()},
	} {
		if _, err := PlanFleetWith(constant(0, 10, 10), fleetConfig(), o); err == nil {
			t.Errorf("%+v accepted", o)
		}
	}
}
