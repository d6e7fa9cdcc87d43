package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/surge-dev/surge/console"
	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/results"
	"github.com/surge-dev/surge/schedule"
)

// outputOptions are the flags every load-generating command shares.
type outputOptions struct {
	output string
	quiet  bool
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
	t.OnSnapshot = func(s metrics.Snapshot) {
		b.Add(s)
		if !out.quiet {
			progress.Update(s)
		}
	}
	res, err := engine.Run(ctx, *t)
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
