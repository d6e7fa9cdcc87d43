package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"

	"github.com/surge-dev/surge/scaling/fleet"
	"github.com/surge-dev/surge/scaling/lambda"
	"github.com/surge-dev/surge/testbed"
	fleettarget "github.com/surge-dev/surge/testbed/fleet"
	lambdatarget "github.com/surge-dev/surge/testbed/lambda"
)

func parseFlags(t *testing.T, register func(*pflag.FlagSet), args ...string) string {
	t.Helper()
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	var out bytes.Buffer
	fs.SetOutput(&out)
	register(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

func TestHeavyFlags(t *testing.T) {
	var cfg testbed.Config
	parseFlags(t, func(fs *pflag.FlagSet) { heavyFlags(fs, &cfg) },
		"--cpu=2ms", "--latency=20ms", "--jitter=5ms", "--error-rate=0.1", "--max-concurrency=100",
		"--workers=4", "--stall-every=10s", "--stall-for=1s")
	want := testbed.Config{CPU: 2 * time.Millisecond, Latency: 20 * time.Millisecond, Jitter: 5 * time.Millisecond,
		ErrorRate: 0.1, MaxConcurrency: 100, Workers: 4, StallEvery: 10 * time.Second, StallFor: time.Second}
	if cfg != want {
		t.Fatalf("parsed %+v\nwant   %+v", cfg, want)
	}
}

// TestHeavyCPUMsIsADeprecatedAlias: --cpu-ms, the old name of --cpu, still
// sets the same knob, says it is deprecated and is left out of --help.
func TestHeavyCPUMsIsADeprecatedAlias(t *testing.T) {
	var cfg testbed.Config
	out := parseFlags(t, func(fs *pflag.FlagSet) { heavyFlags(fs, &cfg) }, "--cpu-ms=3ms")
	if cfg.CPU != 3*time.Millisecond || !strings.Contains(out, "deprecated, use --cpu") {
		t.Fatalf("--cpu-ms=3ms: CPU %v, output %q; want 3ms and a deprecation notice", cfg.CPU, out)
	}
	help := surge(t, context.Background(), "target", "--help")
	if !strings.Contains(help.stdout, "--cpu duration") || strings.Contains(help.stdout, "cpu-ms") {
		t.Fatalf("surge target --help lists --cpu-ms or lacks --cpu:\n%s", help.stdout)
	}
}

func TestLambdaFlags(t *testing.T) {
	cfg := lambdatarget.DefaultConfig()
	parseFlags(t, func(fs *pflag.FlagSet) { lambdaFlags(fs, &cfg) },
		"--handler-duration=250ms", "--handler-cpu=5ms", "--init-duration=1s", "--account-concurrency=3000",
		"--reserved-concurrency=500", "--provisioned-concurrency=10", "--scaling-model=legacy", "--burst=500",
		"--timeout=10s", "--idle-expiry=7m", "--mode=apigw", "--integration-timeout=20s", "--time-scale=60")
	want := lambdatarget.DefaultConfig()
	want.HandlerDuration, want.HandlerCPU, want.InitDuration = 250*time.Millisecond, 5*time.Millisecond, time.Second
	want.AccountConcurrency, want.ReservedConcurrency, want.ProvisionedConcurrency = 3000, 500, 10
	want.ScalingModel, want.Burst, want.Timeout, want.IdleExpiry = lambda.Legacy, 500, 10*time.Second, 7*time.Minute
	want.Mode, want.IntegrationTimeout, want.TimeScale = lambdatarget.APIGateway, 20*time.Second, 60
	if cfg != want {
		t.Fatalf("parsed %+v\nwant   %+v", cfg, want)
	}
}

func TestFleetFlags(t *testing.T) {
	cfg := fleettarget.DefaultConfig()
	parseFlags(t, func(fs *pflag.FlagSet) { fleetFlags(fs, &cfg) },
		"--min=2", "--max=30", "--desired=3", "--target-cpu=70", "--target-requests-per-task=1000",
		"--task-capacity=250", "--scale-out-datapoints=2", "--scale-in-datapoints=10",
		"--scale-out-cooldown=1m", "--scale-in-cooldown=2m", "--task-start=45s", "--health-check-delay=15s",
		"--deregistration-delay=10s", "--disable-scale-in", "--policy=step", "--queue-timeout=2s", "--time-scale=60")
	c := cfg
	got := []any{c.Min, c.Max, c.Desired, c.TargetCPU, c.TargetRequestsPerTask, c.TaskCapacity,
		c.ScaleOutDatapoints, c.ScaleInDatapoints, c.ScaleOutCooldown, c.ScaleInCooldown, c.TaskStart,
		c.HealthCheckDelay, c.DeregistrationDelay, c.DisableScaleIn, c.Policy, c.QueueTimeout, c.TimeScale}
	want := []any{2, 30, 3, 70.0, 1000.0, 250.0, 2, 10, time.Minute, 2 * time.Minute, 45 * time.Second,
		15 * time.Second, 10 * time.Second, true, fleet.StepScaling, 2 * time.Second, 60.0}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("field %d parsed as %v, want %v", i, got[i], want[i])
		}
	}
}

// TestTargetBadValuesExitTwo: a value the testbed's Validate refuses is a
// usage error that names it, before anything listens.
func TestTargetBadValuesExitTwo(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"target", "--error-rate", "3"}, "error rate 3"},
		{[]string{"target", "heavy", "--stall-every", "1s"}, "stall every 1s"},
		{[]string{"target", "fleet", "--time-scale", "0"}, "time scale 0"},
		{[]string{"target", "lambda", "--mode", "alb"}, `mode "alb"`},
	} {
		res := surge(t, context.Background(), append(tc.args, "--addr", "127.0.0.1:0")...)
		if res.code != ExitUsage || !strings.Contains(res.stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d naming %q", tc.args, res.code, res.stderr, ExitUsage, tc.want)
		}
	}
}
