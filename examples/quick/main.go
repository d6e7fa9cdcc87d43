// Command quick is an example of running a test from Go the way
// `surge quick` does, through package session: one request prepared
// once, sent at a fixed rate, with the live progress, the summary and a
// results file, and Ctrl-C stopping the test with its results still
// written.
//
//	go run ./examples/quick                        # against a built-in target
//	go run ./examples/quick -url http://127.0.0.1:8080/health -rate 200 -duration 30s -o results.json
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"time"

	"github.com/surge-dev/surge/results"
	"github.com/surge-dev/surge/schedule"
	"github.com/surge-dev/surge/session"
	"github.com/surge-dev/surge/testbed"
)

// config is what the flags set.
type config struct {
	url      string
	rate     float64
	duration time.Duration
	output   string
}

func main() {
	var c config
	flag.StringVar(&c.url, "url", "", "URL to send GET requests to (default: a built-in target on a free loopback port)")
	flag.Float64Var(&c.rate, "rate", 50, "requests started per second")
	flag.DurationVar(&c.duration, "duration", 5*time.Second, "how long to send")
	flag.StringVar(&c.output, "o", "quick-results.json", "results file")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, c); err != nil {
		fmt.Fprintln(os.Stderr, "quick:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, c config) error {
	if c.url == "" {
		url, stop, err := startTarget()
		if err != nil {
			return err
		}
		defer stop()
		c.url = url + "/sleep?ms=5"
	}
	test, err := session.OneRequest("GET", c.url, http.Header{"User-Agent": {"surge-example"}}, nil)
	if err != nil {
		return err
	}
	test.Phases = []schedule.Phase{{Kind: schedule.Constant, ArrivalRate: c.rate, Duration: c.duration}}
	res, err := session.Run(ctx, test, results.Test{Name: "example", Target: c.url}, session.Options{
		Progress: os.Stderr, Summary: os.Stdout, Notices: os.Stderr, ResultsFile: c.output,
	})
	if err != nil {
		return err
	}
	if res.Interrupted {
		fmt.Fprintln(os.Stderr, "stopped early; the results hold what was sent")
	}
	return nil
}

// startTarget serves the built-in heavy target on a free loopback port.
func startTarget() (string, func(), error) {
	h, err := testbed.New(testbed.Config{})
	if err != nil {
		return "", nil, err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(l)
	return "http://" + l.Addr().String(), func() { srv.Close() }, nil
}
