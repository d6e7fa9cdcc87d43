package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"
	"github.com/surge-dev/surge/testbed"
	fleettarget "github.com/surge-dev/surge/testbed/fleet"
	lambdatarget "github.com/surge-dev/surge/testbed/lambda"
)

const defaultTargetAddr = "127.0.0.1:8080"

func newTargetCmd(io IO) *cobra.Command {
	cmd := newHeavyCmd(io, "target")
	cmd.Short = "Serve a built-in target to test against (heavy by default)"
	cmd.AddCommand(newHeavyCmd(io, "heavy"), newLambdaCmd(io), newFleetCmd(io))
	return cmd
}

func newLambdaCmd(io IO) *cobra.Command {
	cfg := lambdatarget.DefaultConfig()
	var addr string
	cmd := &cobra.Command{
		Use:   "lambda",
		Short: "Emulate an AWS Lambda function's scaling behind a Function URL or API Gateway",
		Long: `Serve an endpoint that scales like a Lambda function: one request per execution
environment, cold starts on new environments, account/reserved/provisioned
concurrency, the scaling rate (current: +1,000 environments per 10 s; legacy: a
burst then +500 per minute), 10 requests/s per environment, and throttles
answered as AWS does (429 TooManyRequestsException, or 500 through API Gateway).
/metrics and /_surge/status show concurrency, environments and throttles.
See docs/scaling.md.`,
		Example: `  surge target lambda --account-concurrency 20 --handler-duration 200ms --init-duration 0s
  surge target lambda --scaling-model legacy --burst 500 --time-scale 60`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			srv, err := lambdatarget.New(cfg)
			if err != nil {
				return usageError("%v", err)
			}
			defer srv.Close()
			return serve(cmd.Context(), io, addr, srv, "lambda emulator")
		},
	}
	cmd.Flags().StringVar(&addr, "addr", defaultTargetAddr, "address to listen on")
	lambdaFlags(cmd.Flags(), &cfg)
	return cmd
}

func newFleetCmd(io IO) *cobra.Command {
	cfg := fleettarget.DefaultConfig()
	var addr string
	cmd := &cobra.Command{
		Use:   "fleet",
		Short: "Emulate an ECS/Fargate service with target-tracking auto scaling",
		Long: `Serve a service of replica tasks behind a round-robin balancer. Every task runs
the heavy target (the endpoints of surge target heavy), and a request holds its
task's one worker for the CPU it costs: 1/--task-capacity plus its path's own
(/cpu?ms=N adds N ms), so heavy paths saturate a task first (latency grows and
503s appear). Application Auto Scaling adds and removes tasks by target
tracking on CPU or requests per target (3 of 3 datapoints to scale out, 15 of
15 to scale in, cooldowns, task start and deregistration delays), or by step
scaling. /metrics shows tasks, alarms, scaling activities and, per endpoint,
requests, task CPU and duration. See docs/scaling.md.`,
		Example: `  surge target fleet --min 1 --max 10 --target-cpu 50 --time-scale 60
  surge target fleet --task-capacity 500 --queue-timeout 500ms   # then load /cpu?ms=40 and /api/items`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			srv, err := fleettarget.New(cfg)
			if err != nil {
				return usageError("%v", err)
			}
			defer srv.Close()
			return serve(cmd.Context(), io, addr, srv, "fleet emulator")
		},
	}
	cmd.Flags().StringVar(&addr, "addr", defaultTargetAddr, "address to listen on")
	fleetFlags(cmd.Flags(), &cfg)
	return cmd
}

func newHeavyCmd(io IO, use string) *cobra.Command {
	var cfg testbed.Config
	var addr string
	cmd := &cobra.Command{
		Use:   use,
		Short: "A JSON API whose cost you choose per request or server-wide",
		Long: `Serve the heavy target: /cpu?ms=, /alloc?mb=&hold=, /sleep?ms=&jitter=,
/fail?rate=, /status/NNN, /bytes?n=, /echo, a JSON CRUD API under /api/items,
/metrics and /_surge/status. Server-wide flags make every request heavier.`,
		Example: heavyExample(use),
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			srv, err := testbed.New(cfg)
			if err != nil {
				return usageError("%v", err)
			}
			return serve(cmd.Context(), io, addr, srv, "heavy target")
		},
	}
	cmd.Flags().StringVar(&addr, "addr", defaultTargetAddr, "address to listen on")
	heavyFlags(cmd.Flags(), &cfg)
	return cmd
}

// heavyExample is the example of surge target (use "target") or surge
// target heavy: each shows its own command line.
func heavyExample(use string) string {
	cmd := "surge target"
	if use != "target" {
		cmd += " " + use
	}
	return "  " + cmd + " --addr 127.0.0.1:8080 --latency 20ms --jitter 10ms\n  " + cmd + " --cpu 2ms --max-concurrency 100"
}

// serve listens on addr and serves h until ctx ends, then shuts down
// gracefully.
func serve(ctx context.Context, io IO, addr string, h http.Handler, what string) error {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return runError(fmt.Errorf("listen on %s: %w", addr, err))
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(io.Stdout, "%s listening on http://%s (Ctrl-C to stop)\n", what, l.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(l) }()
	select {
	case err := <-errc:
		return runError(err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return runError(err)
	}
	return nil
}
