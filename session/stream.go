package session

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/results"
)

// streamOut writes the run's stream: the header before any load, each
// interval as it closes, the document at the end. A write that fails is
// said once; the test goes on, the stream stops there, and Run returns
// the error at the end (after the results file, which does not depend
// on it).
type streamOut struct {
	w      *results.StreamWriter
	notice func(...string)
	said   bool
}

// startStream opens the stream and writes the header, naming the
// endpoints the intervals' per-endpoint counts follow; an error means no
// load was sent.
func startStream(ctx context.Context, endpoints []string, meta results.Test, plan *results.Plan, o Options) (*streamOut, error) {
	stream, err := o.streamWriter(ctx)
	if err != nil || stream == nil {
		return nil, err
	}
	meta.Started = time.Now() // about when: the intervals carry the exact times
	w, err := results.NewStreamWriter(stream, results.StreamHeader{Version: o.Version, Test: meta, Plan: plan,
		Endpoints: endpoints})
	if err != nil {
		return nil, inputError(err)
	}
	return &streamOut{w: w}, nil
}

// streamWriter is Stream, or what OpenStream opens (nil: no stream). An
// open that fails because ctx ended (a FIFO's reader never came before
// Ctrl-C) is a *StoppedError, any other an *InputError.
func (o Options) streamWriter(ctx context.Context) (io.Writer, error) {
	if o.OpenStream == nil {
		return o.Stream, nil
	}
	w, err := o.OpenStream(ctx)
	switch {
	case err == nil:
		return w, nil
	case ctx.Err() != nil:
		return nil, &StoppedError{Err: err}
	}
	return nil, inputError(err)
}

// recordedEndpoints are the names the intervals' per-endpoint counts follow:
// the test's, or the one the engine records under when it names none.
func recordedEndpoints(t *engine.Test) []string { return RecordedEndpoints(t.Endpoints) }

// RecordedEndpoints are the endpoints a test of these endpoints records
// its requests under: "default" for a test that names none.
func RecordedEndpoints(endpoints []string) []string {
	if len(endpoints) == 0 {
		return []string{"default"}
	}
	return endpoints
}

// interval writes iv with the reset it is the first after, if any.
func (s *streamOut) interval(iv results.Interval, resetAt time.Time) {
	if s.w.IntervalAfterReset(iv, resetAt) != nil {
		s.sayFailed()
	}
}

// end writes the document and returns the stream's first failure, if any.
func (s *streamOut) end(r *results.Results) error {
	if s.w.End(r) != nil {
		s.sayFailed()
	}
	return s.w.Err()
}

func (s *streamOut) sayFailed() {
	if !s.said && s.notice != nil {
		s.said = true
		s.notice(fmt.Sprintf("%v: the stream stops here; the results file is still written at the end", s.w.Err()))
	}
}
