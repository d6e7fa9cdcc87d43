package coord

import (
	"testing"
	"time"
)

func TestMeasureClockKeepsTheShortestRoundTrip(t *testing.T) {
	t0 := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	const offset = 300 * time.Millisecond // the worker's clock is ahead
	trip := func(at, there, busy, back time.Duration) RoundTrip {
		return RoundTrip{Sent: t0.Add(at), Received: t0.Add(at + there + offset), Answered: t0.Add(at + there + busy + offset),
			Back: t0.Add(at + there + busy + back)}
	}
	trips := []RoundTrip{
		trip(0, 40*time.Millisecond, time.Millisecond, 2*time.Millisecond),                     // queued one way: skewed by 19 ms
		trip(100*time.Millisecond, time.Millisecond, 5*time.Millisecond, 3*time.Millisecond),   // shortest: 4 ms on the wire
		trip(200*time.Millisecond, 10*time.Millisecond, time.Millisecond, 10*time.Millisecond), // symmetric but long
	}
	c, err := MeasureClock(trips)
	if err != nil {
		t.Fatal(err)
	}
	if c.RTT != 4*time.Millisecond || c.Offset != offset-time.Millisecond {
		t.Fatalf("clock %+v, want the second exchange's: rtt 4ms, offset 299ms", c)
	}
	if d := c.Offset - offset; d.Abs() > c.RTT/2 {
		t.Fatalf("offset off by %s, beyond half the round trip", d)
	}
	start := t0.Add(time.Second)
	if got := c.OnCoordinator(c.OnWorker(start)); !got.Equal(start) {
		t.Fatalf("round trip of an instant: %s", got)
	}
	if _, err := MeasureClock(nil); err == nil {
		t.Fatal("no exchange measured a clock")
	}
}

func TestSkew(t *testing.T) {
	t0 := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	got := Skew([]time.Time{t0.Add(3 * time.Millisecond), t0, t0.Add(-2 * time.Millisecond), t0.Add(time.Millisecond)})
	if got != 5*time.Millisecond {
		t.Fatalf("skew %s, want 5ms", got)
	}
	if Skew([]time.Time{t0}) != 0 {
		t.Fatal("one start has no skew")
	}
}
