package story

import (
	"math"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"
	"time"

	"github.com/surge-dev/surge/monitor"
	"github.com/surge-dev/surge/scaling/fleet"
	fleettarget "github.com/surge-dev/surge/testbed/fleet"
)

// The fleet emulator's settings series, scraped as a monitored run
// scrapes it, reads back as the service it ran: the model, the time scale
// and the queue timeout the prediction replays, and a step policy's own
// steps.
func TestFleetSettingsRoundTrip(t *testing.T) {
	cfg := fleettarget.DefaultConfig()
	cfg.Min, cfg.Max, cfg.Desired, cfg.TaskCapacity, cfg.TargetCPU = 2, 12, 3, 250, 60
	cfg.ScaleOutCooldown, cfg.TaskStart = 90*time.Second, 45*time.Second
	cfg.TimeScale, cfg.QueueTimeout = 30, 400*time.Millisecond
	step := cfg
	step.Policy = fleet.StepScaling
	step.Step = fleet.StepConfig{AdjustmentType: fleet.ChangeInCapacity, MinAdjustmentMagnitude: 2,
		Adjustments: []fleet.StepAdjustment{{Lower: math.Inf(-1), Upper: -15, Adjustment: -2}, {Lower: -15, Upper: 5, Adjustment: 0},
			{Lower: 5, Upper: 25.5, Adjustment: 1}, {Lower: 25.5, Upper: math.Inf(1), Adjustment: 4}}}
	for name, c := range map[string]fleettarget.Config{"target tracking": cfg, "step policy": step} {
		t.Run(name, func(t *testing.T) {
			setup := scrapeFleetSetup(t, c)
			if !reflect.DeepEqual(setup.cfg, c.Config) || setup.scale != c.TimeScale || setup.queue != c.QueueTimeout {
				t.Errorf("read back %+v, scale %v, queue %v;\nran %+v, scale %v, queue %v",
					setup.cfg, setup.scale, setup.queue, c.Config, c.TimeScale, c.QueueTimeout)
			}
		})
	}
}

// scrapeFleetSetup serves cfg on loopback, scrapes its /metrics with the
// monitor's parser and reads the settings series as the story does.
func scrapeFleetSetup(t *testing.T, cfg fleettarget.Config) fleetSetup {
	t.Helper()
	srv, err := fleettarget.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer func() { ts.Close(); srv.Close() }()
	resp, err := http.Get(ts.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	scrape, err := monitor.Parse(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	rn := &run{t: []float64{0}, dur: []float64{1}, mon: []map[string]float64{scrape}}
	setup, err := readFleetSetup(rn.labels(fleetSettings))
	if err != nil {
		t.Fatal(err)
	}
	return setup
}
