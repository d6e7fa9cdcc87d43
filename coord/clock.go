package coord

import (
	"errors"
	"time"
)

// RoundTrip is one clock exchange: the coordinator sent at Sent and got
// the answer back at Back (its clock); the worker received it at
// Received and answered at Answered (the worker's clock).
type RoundTrip struct {
	Sent, Received, Answered, Back time.Time
}

// delay is the time the exchange spent on the wire, the worker's own
// time left out.
func (r RoundTrip) delay() time.Duration {
	return r.Back.Sub(r.Sent) - r.Answered.Sub(r.Received)
}

// offset is the worker's clock minus the coordinator's, assuming the way
// there took as long as the way back (NTP's estimate); it is wrong by at
// most half the delay.
func (r RoundTrip) offset() time.Duration {
	return (r.Received.Sub(r.Sent) + r.Answered.Sub(r.Back)) / 2
}

// Clock is a worker's clock as measured: Offset is the worker's clock
// minus the coordinator's, RTT the delay of the exchange it came from
// (the offset is within RTT/2).
type Clock struct {
	Offset, RTT time.Duration
}

// MeasureClock estimates a worker's clock from round trips: the offset of
// the exchange with the shortest delay, whose error bound is the
// smallest (a queue on the way, one way only, skews an offset by up to
// its delay).
func MeasureClock(trips []RoundTrip) (Clock, error) {
	if len(trips) == 0 {
		return Clock{}, errors.New("no clock exchange")
	}
	best := trips[0]
	for _, r := range trips[1:] {
		if r.delay() < best.delay() {
			best = r
		}
	}
	return Clock{Offset: best.offset(), RTT: max(best.delay(), 0)}, nil
}

// OnWorker is the coordinator's instant t on the worker's clock.
func (c Clock) OnWorker(t time.Time) time.Time { return t.Add(c.Offset) }

// OnCoordinator is the worker's instant t on the coordinator's clock.
func (c Clock) OnCoordinator(t time.Time) time.Time { return t.Add(-c.Offset) }

// Skew is the spread of instants (the latest minus the earliest); zero
// for fewer than two.
func Skew(starts []time.Time) time.Duration {
	if len(starts) < 2 {
		return 0
	}
	first, last := starts[0], starts[0]
	for _, s := range starts[1:] {
		if s.Before(first) {
			first = s
		}
		if s.After(last) {
			last = s
		}
	}
	return last.Sub(first)
}
