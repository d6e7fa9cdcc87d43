package lambda

import "time"

// scaler is the rule that limits how fast new environments appear:
// bucket for the current model, legacyLimit for the legacy one. Both are
// told of the on-demand environments that exist (provisioned ones never
// draw on the rule).
type scaler interface {
	advance(now time.Duration)
	take(onDemand int) bool    // one new environment, if the rule allows it
	refused(now time.Duration) // an invocation throttled by the rule
	reclaimed(onDemand int)    // an idle environment was reclaimed
	headroom(onDemand int) int // new environments the rule allows now
}

// The current model's bucket ignores what exists: it limits creations.
func (b *bucket) advance(now time.Duration) { b.refill(now) }
func (b *bucket) take(int) bool             { return b.takeToken() }
func (b *bucket) refused(time.Duration)     {}
func (b *bucket) reclaimed(int)             {}
func (b *bucket) headroom(int) int          { return b.tokens() }

// legacyLimit is the rule before late 2023, which limits how many
// environments exist rather than how many are created: concurrency could
// jump at once to the burst, and then grow by 500 a minute "until there
// are enough instances to serve all requests". So the limit grows only
// while requests are refused for want of an environment: a step a whole
// minute after the first such refusal, and another each minute in which
// refusals went on; a minute without one ends the growth. When Lambda
// reclaims idle environments the limit falls back with them, never below
// the burst, as AWS's "stops unused instances to free up scaling
// capacity" says. AWS's worked example (10,000 requests of 59 s over one
// or two minutes, burst 3,000: 3,000 served then 3,000 reused and 500
// new) comes out exactly (TestLegacyWorkedExamples).
type legacyLimit struct {
	burst, step int
	window      time.Duration
	limit       int
	growing     bool          // refusals have started a step
	next        time.Duration // when the next step is due, while growing
	refusedNow  bool          // a refusal since the last step
}

func newLegacyLimit(burst, step int, window time.Duration) *legacyLimit {
	return &legacyLimit{burst: burst, step: step, window: window, limit: burst}
}

func (l *legacyLimit) advance(now time.Duration) {
	for l.growing && now >= l.next {
		if !l.refusedNow {
			l.growing = false // a whole minute without a refusal
			return
		}
		l.limit += l.step
		l.refusedNow = false
		l.next += l.window
	}
}

func (l *legacyLimit) take(onDemand int) bool { return onDemand < l.limit }

func (l *legacyLimit) refused(now time.Duration) {
	if !l.growing {
		l.growing, l.next = true, now+l.window
	}
	l.refusedNow = true
}

func (l *legacyLimit) reclaimed(onDemand int) {
	l.limit = max(l.burst, min(l.limit, onDemand))
}

func (l *legacyLimit) headroom(onDemand int) int { return max(0, l.limit-onDemand) }
