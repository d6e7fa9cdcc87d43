package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/pflag"
	"github.com/surge-dev/surge/console"
	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/monitor"
	"github.com/surge-dev/surge/results"
	"github.com/surge-dev/surge/schedule"
)

// outputOptions are the flags every load-generating command shares.
type outputOptions struct {
	output        string
	quiet         bool
	monitor       string   // Prometheus endpoint of the target, scraped each second
	monitorSeries []string // which series to keep (default: all but go_/process_)
}

func addMonitorFlags(f *pflag.FlagSet, o *outputOptions) {
	f.StringVar(&o.monitor, "monitor", "", "scrape this Prometheus endpoint of the target every second (e.g. http://127.0.0.1:8080/metrics)")
	f.StringArrayVar(&o.monitorSeries, "monitor-series", nil, "series to keep from --monitor (metric name or exact series; repeatable)")
}

// startMonitor scrapes the target's metrics for the length of the run.
func startMonitor(ctx context.Context, out outputOptions) (*monitor.Monitor, func(), error) {
	if out.monitor == "" {
		return nil, func() {}, nil
	}
	m, err := monitor.New(monitor.Config{URL: out.monitor, Series: out.monitorSeries})
	if err != nil {
		return nil, nil, usageError("%v", err)
	}
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() { defer close(done); m.Run(ctx) }()
	return m, func() { cancel(); <-done }, nil
}

// execute runs a test with live progress, then prints the summary and
// writes the results file. Interrupted runs still do both.
func execute(ctx context.Context, io IO, t *engine.Test, meta results.Test, out outputOptions) (*results.Results, error) {
	b := &results.Builder{Test: meta, Version: Version}
	plan, err := schedule.New(t.Phases)
	if err != nil {
		return nil, usageError("%v", err)
	}
	progress := &console.Progress{W: io.Stderr, TTY: isTTY(io.Stderr), Total: plan.Length()}
	mon, stopMonitor, err := startMonitor(ctx, out)
	if err != nil {
		return nil, err
	}
	t.OnSnapshot = func(s metrics.Snapshot) {
		var series map[string]float64
		if mon != nil {
			series = mon.Latest()
		}
		b.AddWithMonitor(s, series)
		if !out.quiet {
			progress.Update(s)
		}
	}
	res, err := engine.Run(ctx, *t)
	stopMonitor()
	if err != nil {
		return nil, usageError("%v", err)
	}
	if res.Interrupted {
		fmt.Fprintln(io.Stderr, "interrupted: stopped arrivals and waited for requests in flight")
	}
	r, err := b.Results()
	if err != nil {
		return nil, runError(err)
	}
	r.Test.Interrupted = res.Interrupted
	if !out.quiet {
		console.Summary(io.Stdout, r)
		console.Monitor(io.Stdout, r)
	}
	if err := writeResults(io.Stdout, out, r); err != nil {
		return r, err
	}
	if res.Interrupted {
		return r, silentExit(ExitInterrupted)
	}
	return r, nil
}

func writeResults(w io.Writer, out outputOptions, r *results.Results) error {
	if out.output == "" {
		return nil
	}
	if err := results.WriteFile(out.output, r); err != nil {
		return runError(err)
	}
	if !out.quiet {
		fmt.Fprintf(w, "results: %s\n", out.output)
	}
	return nil
}
