package h1

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// warmDials bounds the dials Warm has in flight at once: enough to open
// a pool of hundreds in a few round trips, not a storm on the server.
const warmDials = 16

// Warm opens connections to p's host until its pool holds n (or
// MaxConnsPerHost), and leaves them idle for the requests to come. A test
// calls it before its clock starts, as wrk connects before it measures:
// otherwise the first arrivals of a fast open model each find no idle
// connection and dial at once, and the generator spends the test's first
// milliseconds on a storm of dials while arrivals fall due. It stops at
// the first failed dial (the test will meet and count the failure
// itself) and when ctx ends, and returns how many it opened. A host that
// Exchange would not carry (a proxy) is not warmed.
func (t *Transport) Warm(ctx context.Context, p *Prepared, n int) int {
	pool := p.poolOf(t)
	if pool.checkDirect(p.req) != nil {
		return 0
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg     sync.WaitGroup
		opened atomic.Int64
	)
	slots := make(chan struct{}, warmDials)
	for pool.reserve(n) {
		slots <- struct{}{}
		if ctx.Err() != nil {
			pool.dropped()
			break
		}
		wg.Add(1)
		go func() {
			defer func() { <-slots; wg.Done() }()
			c, err := pool.dial(ctx, time.Time{})
			if err != nil {
				cancel()
				return
			}
			pool.put(c)
			opened.Add(1)
		}()
	}
	wg.Wait()
	return int(opened.Load())
}

// reserve takes a slot for one more connection if the pool holds fewer
// than n and is below MaxConnsPerHost.
func (p *hostPool) reserve(n int) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.conns >= n {
		return false
	}
	if limit := p.t.MaxConnsPerHost; limit > 0 && p.conns >= limit {
		return false
	}
	p.conns++
	return true
}
