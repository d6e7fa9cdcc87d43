package engine

import (
	"context"
	"sync/atomic"
)

// budget is Test.MaxRequests at run time: a count of the requests that
// may still be sent. A request takes its token only once it holds a
// connection and is about to be written, so that a request that takes one
// is always sent and the test sends exactly MaxRequests, however many
// VUs race for the last tokens. The last token cancels the context the
// arrivals, users and pool workers run under: no new arrival or
// iteration starts, and requests in flight, which run under the hard
// context, finish.
type budget struct {
	left atomic.Int64
	stop context.CancelFunc
}

// newBudget returns the context the test's load runs under, cancelled
// once max tokens are taken, and the budget (nil when max is 0: none).
func newBudget(ctx context.Context, max int64) (context.Context, *budget) {
	if max <= 0 {
		return ctx, nil
	}
	ctx, stop := context.WithCancel(ctx)
	b := &budget{stop: stop}
	b.left.Store(max)
	return ctx, b
}

// take claims one request. False means the budget is spent: the request
// must not be sent. The load's context is cancelled before take returns
// false, so that the VU refused sees itself stopped, not failed.
func (b *budget) take() bool {
	if b == nil {
		return true
	}
	left := b.left.Add(-1)
	if left <= 0 {
		b.stop()
	}
	return left >= 0
}

// spent reports, without claiming anything, whether no token is left; it
// too cancels the load's context first when none is.
func (b *budget) spent() bool {
	if b == nil || b.left.Load() > 0 {
		return false
	}
	b.stop()
	return true
}

// close releases the budget's context.
func (b *budget) close() {
	if b != nil {
		b.stop()
	}
}
