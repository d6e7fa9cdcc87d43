package lambda

import "time"

// bucket is the scaling-rate token bucket: one token per new environment.
//
// Credit is kept in token×window nanoseconds so that refill is exact integer
// arithmetic: after d of idle time the bucket gains d×step credit, and a
// token costs one window. Floats would drift at the minute boundaries the
// tests (and AWS's worked examples) care about.
type bucket struct {
	step   int64 // tokens per window
	window int64 // nanoseconds
	credit int64
	limit  int64 // capacity×window
	last   time.Duration
}

func newBucket(capacity, step int, window time.Duration) bucket {
	w := int64(window)
	return bucket{step: int64(step), window: w, credit: int64(capacity) * w, limit: int64(capacity) * w}
}

func (b *bucket) refill(now time.Duration) {
	d := int64(now - b.last)
	b.last = now
	if d <= 0 {
		return
	}
	// Compare before multiplying: a long idle gap times step could overflow.
	if room := b.limit - b.credit; d >= room/b.step+1 {
		b.credit = b.limit
		return
	}
	b.credit += d * b.step
}

func (b *bucket) takeToken() bool {
	if b.credit < b.window {
		return false
	}
	b.credit -= b.window
	return true
}

func (b *bucket) tokens() int { return int(b.credit / b.window) }

// rateSlots is how finely the sliding rate window is cut. Exact timestamps
// would cost 8 bytes per allowed request (80 kB at the default quota); a
// hundredth of the window is precise enough for a per-second limit.
const rateSlots = 100

// rateWindow counts admitted invocations over a sliding window.
type rateWindow struct {
	slotLen time.Duration
	slots   [rateSlots]int32
	sum     int
	cur     int64 // index of the newest slot
}

func newRateWindow(window time.Duration) rateWindow {
	return rateWindow{slotLen: max(window/rateSlots, 1)}
}

func (r *rateWindow) advance(now time.Duration) {
	idx := int64(now / r.slotLen)
	if idx <= r.cur {
		return
	}
	for i, n := r.cur+1, 0; i <= idx && n < rateSlots; i, n = i+1, n+1 {
		s := &r.slots[i%rateSlots]
		r.sum -= int(*s)
		*s = 0
	}
	r.cur = idx
}

func (r *rateWindow) add() {
	r.slots[r.cur%rateSlots]++
	r.sum++
}

// envQueue holds idle environments in the order they became idle: reuse
// takes the newest (so a shrinking load leaves the old ones to expire, as
// Lambda's reuse tends to), expiry takes the oldest. It is a growable ring.
type envQueue struct {
	buf  []*Env
	head int
	n    int
}

func (q *envQueue) len() int { return q.n }

func (q *envQueue) push(e *Env) {
	if q.n == len(q.buf) {
		q.grow()
	}
	q.buf[(q.head+q.n)%len(q.buf)] = e
	q.n++
}

func (q *envQueue) grow() {
	buf := make([]*Env, max(16, 2*len(q.buf)))
	for i := range q.n {
		buf[i] = q.buf[(q.head+i)%len(q.buf)]
	}
	q.buf, q.head = buf, 0
}

func (q *envQueue) popNewest() *Env {
	if q.n == 0 {
		return nil
	}
	q.n--
	i := (q.head + q.n) % len(q.buf)
	e := q.buf[i]
	q.buf[i] = nil
	return e
}

func (q *envQueue) oldest() *Env {
	if q.n == 0 {
		return nil
	}
	return q.buf[q.head]
}

func (q *envQueue) popOldest() *Env {
	e := q.oldest()
	if e != nil {
		q.buf[q.head] = nil
		q.head = (q.head + 1) % len(q.buf)
		q.n--
	}
	return e
}
