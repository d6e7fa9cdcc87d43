package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
	"github.com/surge-dev/surge/engine"
)

// loadAnnotation marks the commands that send load (run, quick, demo, ui,
// capacity): Ctrl-C there is a graceful stop of the test, and says so.
const loadAnnotation = "surge.sends-load"

// loadCommand marks c as a command that sends load.
func loadCommand(c *cobra.Command) *cobra.Command {
	if c.Annotations == nil {
		c.Annotations = map[string]string{}
	}
	c.Annotations[loadAnnotation] = "true"
	return c
}

// sendsLoad reports whether args run a command that sends load.
func sendsLoad(root *cobra.Command, args []string) bool {
	c, _, err := root.Find(args)
	return err == nil && c.Annotations[loadAnnotation] == "true"
}

// interrupts turns the first SIGINT or SIGTERM into a cancelled context.
// For a command that sends load (load), it says what that does (the test
// stops, requests in flight may finish) and turns the second into a
// closed abort channel. Any other command reads, computes or serves: it
// says itself how it stopped, and a second signal, no longer caught, ends
// the process as it would end any program. release stops listening.
func interrupts(w io.Writer, load bool) (stop context.Context, abort <-chan struct{}, release func()) {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	ctx, cancel := context.WithCancel(context.Background())
	aborted, quit, done := make(chan struct{}), make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < 2; i++ {
			select {
			case <-sigs:
			case <-quit:
				return
			}
			switch {
			case !load:
				cancel()
				signal.Stop(sigs)
				return
			case i == 0:
				fmt.Fprintf(w, "interrupt: stopping; a test's requests in flight may finish for up to %v (interrupt again to cancel them now)\n", engine.DefaultGrace)
				cancel()
			default:
				fmt.Fprintln(w, "interrupt: cancelling requests in flight now")
				close(aborted)
			}
		}
	}()
	return ctx, aborted, func() { signal.Stop(sigs); close(quit); <-done; cancel() }
}

// untilInterrupted runs work, which reads and computes but writes
// nothing, until it returns or ctx ends (Ctrl-C). A command that sends no
// load has no test to finish gracefully: it stops at once, with nothing
// written and exit code 130, and work is left to run out in the
// background of a process that is ending. what names the command in the
// message.
func untilInterrupted[T any](ctx context.Context, what string, work func() (T, error)) (T, error) {
	type outcome struct {
		v   T
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		v, err := work()
		done <- outcome{v, err}
	}()
	select {
	case o := <-done:
		return o.v, o.err
	case <-ctx.Done():
		var zero T
		return zero, interrupted(what)
	}
}

// interrupted is the error of a command that sends no load stopped by
// Ctrl-C before it wrote anything.
func interrupted(what string) error {
	return &exitError{code: ExitInterrupted, err: fmt.Errorf("%s interrupted: nothing written", what)}
}
