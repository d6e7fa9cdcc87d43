package h1

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// hostPool holds the connections to one host:port. Idle connections are
// reused last-in first-out: the most recently used one is the least likely
// to have been closed by the server, and the rest can time out.
type hostPool struct {
	t    *Transport
	host string // the URL's host it serves: the key in t.hosts
	addr string // host:port to dial

	mu      sync.Mutex
	idle    []*conn
	conns   int          // open or being dialled, idle included
	waiters []chan *conn // FIFO; receiving nil grants a slot to dial
	sweeper *time.Timer  // closes idle connections past IdleTimeout
	pending bool         // sweeper is scheduled

	direct atomic.Int32 // Exchange's cached Proxy answer: direct* constants
}

// get returns an idle connection, a new one, or, at MaxConnsPerHost, the
// first one freed while ctx lasts. now is the time of the request, read
// from the clock if zero; a non-zero due bounds the dial and the wait
// (Exchange's timeout, which is not in its context). careful asks for a
// look at every idle connection, however fresh (see conn.usable).
func (p *hostPool) get(ctx context.Context, now, due time.Time, careful bool) (*conn, error) {
	if now.IsZero() {
		now = time.Now()
	}
	for {
		p.mu.Lock()
		c := p.popIdle(now)
		if c == nil {
			break
		}
		p.mu.Unlock()
		// Looked at outside the lock: maybe a system call, while other
		// requests take other connections.
		if c.usable(now, careful) {
			return c, nil
		}
		c.close()
	}
	if limit := p.t.MaxConnsPerHost; limit <= 0 || p.conns < limit {
		p.conns++
		p.mu.Unlock()
		return p.dial(ctx, due)
	}
	ch := make(chan *conn, 1)
	p.waiters = append(p.waiters, ch)
	p.mu.Unlock()
	return p.wait(ctx, ch, due)
}

// popIdle takes the most recent idle connection that has not expired.
func (p *hostPool) popIdle(now time.Time) *conn {
	for len(p.idle) > 0 {
		c := p.idle[len(p.idle)-1]
		p.idle[len(p.idle)-1] = nil
		p.idle = p.idle[:len(p.idle)-1]
		if !p.expired(c, now) {
			return c
		}
		p.discardLocked(c)
	}
	return nil
}

// expired reports whether c sat idle past IdleTimeout.
func (p *hostPool) expired(c *conn, now time.Time) bool {
	timeout := p.t.IdleTimeout
	return timeout > 0 && now.Sub(c.idleAt) >= timeout
}

// discardLocked closes an idle connection. No waiter can be owed its slot:
// there are no waiters while connections sit idle.
func (p *hostPool) discardLocked(c *conn) {
	c.disarm() // an Exchange connection is still tied to its context
	c.dead = true
	c.nc.Close()
	p.t.recycle(c)
	p.conns--
}

// wait waits for a connection, or a slot to dial one, to be handed over
// through ch, until ctx ends or due passes.
func (p *hostPool) wait(ctx context.Context, ch chan *conn, due time.Time) (*conn, error) {
	var expired <-chan time.Time
	if !due.IsZero() {
		timer := time.NewTimer(time.Until(due))
		defer timer.Stop()
		expired = timer.C
	}
	var why error
	select {
	case c := <-ch:
		if c == nil {
			return p.dial(ctx, due)
		}
		return c, nil
	case <-ctx.Done():
		why = ctx.Err()
	case <-expired:
		why = context.DeadlineExceeded
	}
	p.mu.Lock()
	queued := p.removeWaiter(ch)
	p.mu.Unlock()
	if !queued { // something was handed over meanwhile: pass it on
		if c := <-ch; c != nil {
			p.put(c)
		} else {
			p.dropped()
		}
	}
	return nil, fmt.Errorf("h1: waiting for a connection to %s: %w", p.addr, why)
}

func (p *hostPool) removeWaiter(ch chan *conn) bool {
	for i, w := range p.waiters {
		if w == ch {
			p.waiters = append(p.waiters[:i], p.waiters[i+1:]...)
			return true
		}
	}
	return false
}

// nextWaiterLocked dequeues the oldest waiter, if any.
func (p *hostPool) nextWaiterLocked() chan *conn {
	if len(p.waiters) == 0 {
		return nil
	}
	ch := p.waiters[0]
	p.waiters[0] = nil
	p.waiters = p.waiters[1:]
	return ch
}

// dial opens a connection before ctx ends and due (if not zero) passes.
func (p *hostPool) dial(ctx context.Context, due time.Time) (*conn, error) {
	if !due.IsZero() {
		// One context for both bounds, not one each: every context
		// under the test's costs a timer and a place in its parent.
		if d := p.t.DialTimeout; d > 0 {
			if limit := time.Now().Add(d); limit.Before(due) {
				due = limit
			}
		}
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, due)
		defer cancel()
	}
	nc, err := p.t.dial(ctx, p.addr)
	if err != nil {
		p.dropped()
		return nil, ctxErr(ctx, err)
	}
	return p.t.newConn(nc, p), nil
}

// put makes c idle, or hands it straight to a waiter.
func (p *hostPool) put(c *conn) {
	idleAt := time.Now() // read before the lock, to keep it short
	p.mu.Lock()
	if ch := p.nextWaiterLocked(); ch != nil {
		p.mu.Unlock()
		ch <- c
		return
	}
	c.idleAt = idleAt // for IdleTimeout and for conn.usable
	if p.t.IdleTimeout > 0 {
		p.scheduleSweepLocked()
	}
	p.idle = append(p.idle, c)
	if limit := p.t.MaxIdleConnsPerHost; limit > 0 && len(p.idle) > limit {
		oldest := p.idle[0]
		p.idle = append(p.idle[:0], p.idle[1:]...)
		clear(p.idle[len(p.idle) : len(p.idle)+1])
		p.discardLocked(oldest)
	}
	p.mu.Unlock()
}

// dropped gives the slot of a connection that was closed (or never got
// dialled) to the first waiter, who will dial.
func (p *hostPool) dropped() {
	p.mu.Lock()
	if ch := p.nextWaiterLocked(); ch != nil {
		p.mu.Unlock()
		ch <- nil
		return
	}
	p.conns--
	p.mu.Unlock()
}

func (p *hostPool) scheduleSweepLocked() {
	if p.pending {
		return
	}
	p.pending = true
	if p.sweeper == nil {
		p.sweeper = time.AfterFunc(p.t.IdleTimeout, p.sweep)
	} else {
		p.sweeper.Reset(p.t.IdleTimeout)
	}
}

// sweep closes the idle connections past IdleTimeout, which are at the
// bottom of the stack, so that an idle pool does not hold sockets forever.
func (p *hostPool) sweep() {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	n := 0
	for n < len(p.idle) && p.expired(p.idle[n], now) {
		p.discardLocked(p.idle[n])
		n++
	}
	p.idle = append(p.idle[:0], p.idle[n:]...)
	clear(p.idle[len(p.idle) : len(p.idle)+n])
	p.pending = false
	if len(p.idle) > 0 {
		p.pending = true
		p.sweeper.Reset(p.t.IdleTimeout - now.Sub(p.idle[0].idleAt))
	}
}

// closeIdle closes every idle connection.
func (p *hostPool) closeIdle() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, c := range p.idle {
		p.discardLocked(c)
		p.idle[i] = nil
	}
	p.idle = p.idle[:0]
}
