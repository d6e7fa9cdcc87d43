// Command readme runs the two Go blocks of the README as they are shown
// there, each the body of a function: a test through package session
// (the outputs surge run writes) and one through the engine alone (no
// outputs). main_test.go checks that the README shows them as they are
// here, and runs them against a loopback server.
//
//	surge target --addr 127.0.0.1:8080 &   # something on the README's port
//	go run ./examples/readme               # 10 s through session, then 10 s through the engine
package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/results"
	"github.com/surge-dev/surge/schedule"
	"github.com/surge-dev/surge/session"
)

func main() {
	ctx := context.Background()
	for _, run := range []func(context.Context) error{withSession, withEngine} {
		if err := run(ctx); err != nil {
			fmt.Fprintln(os.Stderr, "readme:", err)
			os.Exit(1)
		}
	}
}

// withSession is the README's block on package session.
func withSession(ctx context.Context) error {
	test, err := session.OneRequest("GET", "http://127.0.0.1:8080/health", nil, nil)
	if err != nil {
		return err // a bad URL, method or header: nothing was sent
	}
	test.Phases = []schedule.Phase{{Kind: schedule.Constant, ArrivalRate: 200, Duration: 10 * time.Second}}
	res, err := session.Run(ctx, test, results.Test{Name: "health"}, session.Options{
		Summary: os.Stdout, ResultsFile: "results.json", ReportFile: "report.html",
		Dashboard: session.Dashboard{Addr: "127.0.0.1:8089"}, // steer or stop it from the page
	})
	if err != nil {
		return err // *session.InputError: refused before sending; else an output failed
	}
	fmt.Println(res.Results.Aggregate.Latency.P99, res.Interrupted) // milliseconds
	return nil
}

// withEngine is the README's block on the engine alone.
func withEngine(ctx context.Context) error {
	test := engine.Test{
		Phases: []schedule.Phase{{Kind: schedule.Constant, ArrivalRate: 200, Duration: 10 * time.Second}},
		Conns:  engine.Shared,
	}
	ep := test.Endpoint("GET /health")
	test.Scenarios = []engine.Scenario{{Name: "health", Run: func(ctx context.Context, vu *engine.VU) error {
		req, _ := http.NewRequest("GET", "http://127.0.0.1:8080/health", nil)
		_, err := vu.Do(ep, req, false)
		return err
	}}}
	res, err := engine.Run(ctx, test)
	fmt.Println(res.Final.Total.Requests, metrics.Percentile(res.Final.Total.Latency, 99))
	return err
}
