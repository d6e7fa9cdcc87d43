package results

import (
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// StreamSchema identifies a stream: the results of a run written as it
// goes, one JSON document per line (docs/results.md).
const StreamSchema = "surge.stream/v1"

// StreamHeader is a stream's first line: what a results file says about
// the test before it has run, and the endpoints' names, which the
// intervals' per-endpoint counts follow in order.
type StreamHeader struct {
	Schema    string   `json:"schema"`
	Version   string   `json:"surge_version,omitempty"`
	Test      Test     `json:"test"`
	Plan      *Plan    `json:"plan,omitempty"`
	Endpoints []string `json:"endpoints"`
}

// streamLine is every line after the header: an interval as it closed,
// or, last, the results document without its intervals (they are the
// lines before it). ResetAt, on the first interval counted after a reset
// of the statistics, is the reset's time: the lines before it were
// written unmarked and cannot be changed, so readers mark them from it.
// Readers that predate it ignore it (the format stays v1).
type streamLine struct {
	Interval *Interval `json:"interval,omitempty"`
	ResetAt  time.Time `json:"reset_at,omitzero"`
	End      *Results  `json:"end,omitempty"`
}

// StreamWriter writes a stream. Each line goes to the writer in one Write
// call as soon as it is made, nothing buffered in between, so that a
// process killed at any moment leaves every line it finished in the file
// (and at most a part of the one it was writing, which readers drop).
type StreamWriter struct {
	w   io.Writer
	err error
}

// NewStreamWriter writes the header; h.Schema is set here.
func NewStreamWriter(w io.Writer, h StreamHeader) (*StreamWriter, error) {
	h.Schema = StreamSchema
	s := &StreamWriter{w: w}
	return s, s.line(h)
}

// Interval writes one closed interval.
func (s *StreamWriter) Interval(iv Interval) error {
	return s.line(streamLine{Interval: &iv})
}

// IntervalAfterReset writes iv, the first interval counted after a reset
// of the statistics at resetAt (zero: no reset, as Interval).
func (s *StreamWriter) IntervalAfterReset(iv Interval, resetAt time.Time) error {
	return s.line(streamLine{Interval: &iv, ResetAt: resetAt})
}

// End writes the finished document, without its intervals: the stream
// then holds everything its results file does.
func (s *StreamWriter) End(r *Results) error {
	end := *r
	end.Intervals = nil
	return s.line(streamLine{End: &end})
}

// Err is the first write that failed; after it nothing more is written
// (a line after a lost one would leave a gap no reader could see).
func (s *StreamWriter) Err() error { return s.err }

func (s *StreamWriter) line(v any) error {
	if s.err != nil {
		return s.err
	}
	b, err := json.Marshal(v)
	if err != nil {
		s.err = fmt.Errorf("stream: %w", err)
		return s.err
	}
	if _, err := s.w.Write(append(b, '\n')); err != nil {
		s.err = fmt.Errorf("stream: %w", err)
	}
	return s.err
}
