package distributed

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/surge-dev/surge/coord"
	"github.com/surge-dev/surge/coord/wire"
)

// clockTrips is how many round trips measure a worker's clock.
const clockTrips = 8

// peer is a worker the coordinator talks to.
type peer struct {
	conn    *wire.Conn
	share   int
	segment string
	name    string // "share 1/4:1/2 (10.0.0.7:41532)", for messages
	clock   coord.Clock
}

// gathered is what a handshake ends with: a ready peer, or why not (a
// mismatch fails the run; another error only frees the share).
type gathered struct {
	peer     *peer
	err      error
	mismatch bool
}

// handshake takes a worker through hello, welcome, ready and the clock
// exchanges.
func (c *coordinator) handshake(conn *wire.Conn) gathered {
	var hello wire.Hello
	if err := conn.Expect(wire.KindHello, &hello, c.cfg.Wait); err != nil {
		return gathered{err: fmt.Errorf("%s: %v", conn.RemoteAddr(), err)}
	}
	if c.cfg.Token != "" && subtle.ConstantTimeCompare([]byte(hello.Token), []byte(c.cfg.Token)) != 1 {
		conn.Send(wire.KindRefused, wire.Refused{Reason: "wrong or missing --coordinator-token", Code: 3})
		return gathered{err: fmt.Errorf("%s: wrong or missing token", conn.RemoteAddr())}
	}
	p, err := c.take(conn, hello)
	if err != nil {
		return c.refuse(conn, err)
	}
	if hello.Version != c.cfg.Version {
		fmt.Fprintf(c.cfg.notices(), "coordinator: %s runs Surge %q, the coordinator %q\n", p.name, hello.Version, c.cfg.Version)
	}
	var ready wire.Ready
	if err := conn.Expect(wire.KindReady, &ready, c.cfg.Wait); err != nil {
		c.leave(p.share)
		return gathered{err: fmt.Errorf("%s: %v", p.name, err)}
	}
	if err := c.ready(p, ready); err != nil {
		return c.refuse(conn, err)
	}
	if p.clock, err = measure(conn); err != nil {
		c.leave(p.share)
		return gathered{err: fmt.Errorf("%s: measuring its clock: %v", p.name, err)}
	}
	return gathered{peer: p}
}

// take gives the worker its share and welcomes it.
func (c *coordinator) take(conn *wire.Conn, hello wire.Hello) (*peer, error) {
	segment := hello.Segment
	if segment != "" && hello.Sequence != c.cfg.Sequence.String() {
		return nil, fmt.Errorf("%s asks for the share %s of %s, but the test's sequence is %s: every share must be given the same sequence",
			conn.RemoteAddr(), segment, hello.Sequence, c.cfg.Sequence)
	}
	c.mu.Lock()
	k, name, err := c.barrier.Take(conn.RemoteAddr(), segment)
	c.mu.Unlock()
	if err != nil {
		return nil, fmt.Errorf("%s: %v", conn.RemoteAddr(), err)
	}
	p := &peer{conn: conn, share: k, segment: name, name: fmt.Sprintf("share %s (%s)", name, conn.RemoteAddr())}
	if err := conn.Send(wire.KindWelcome, wire.Welcome{Segment: name, Sequence: c.cfg.Sequence.String()}); err != nil {
		c.leave(k)
		return nil, err
	}
	return p, nil
}

// ready checks the worker's plan against the others' (and the
// coordinator's, when it knows it).
func (c *coordinator) ready(p *peer, r wire.Ready) error {
	if c.cfg.Plan != "" && r.Plan != c.cfg.Plan {
		return fmt.Errorf("%s has the plan hash %.12s…, but the coordinator's is %.12s…: not a share of the same test (the script, phases, scenarios, seed or flags differ)",
			p.name, r.Plan, c.cfg.Plan)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.barrier.Ready(p.share, coord.Ready{Plan: r.Plan, Sequence: r.Sequence, Segment: r.Segment, Endpoints: r.Endpoints, Expect: r.Expect})
}

func (c *coordinator) leave(k int) {
	c.mu.Lock()
	c.barrier.Leave(k)
	c.mu.Unlock()
}

// refuse tells a worker why it may not join: the run fails.
func (c *coordinator) refuse(conn *wire.Conn, err error) gathered {
	conn.Send(wire.KindRefused, wire.Refused{Reason: err.Error(), Code: 2})
	return gathered{err: err, mismatch: true}
}

// measure times clockTrips round trips and keeps the best.
func measure(conn *wire.Conn) (coord.Clock, error) {
	var trips []coord.RoundTrip
	for range clockTrips {
		sent := time.Now()
		if err := conn.Send(wire.KindPing, wire.Ping{Sent: sent}); err != nil {
			return coord.Clock{}, err
		}
		var pong wire.Pong
		if err := conn.Expect(wire.KindPong, &pong, 10*time.Second); err != nil {
			return coord.Clock{}, err
		}
		// Round(0) drops the monotonic readings: the worker's are wall
		// clock only, and the offset is between wall clocks.
		trips = append(trips, coord.RoundTrip{Sent: sent.Round(0), Received: pong.Received, Answered: pong.Answered, Back: time.Now().Round(0)})
	}
	return coord.MeasureClock(trips)
}

// gather waits until every share's worker is ready, a worker is refused,
// or the wait is over.
func (c *coordinator) gather(done <-chan struct{}) ([]*peer, error) {
	peers := make([]*peer, c.cfg.Sequence.Shares())
	timeout := time.NewTimer(c.cfg.Wait)
	defer timeout.Stop()
	for {
		c.mu.Lock()
		complete := c.barrier.Complete()
		c.mu.Unlock()
		if complete && allSet(peers) {
			return peers, nil
		}
		select {
		case g := <-c.gathered:
			switch {
			case g.mismatch:
				return peers, &MismatchError{Reason: g.err.Error()}
			case g.err != nil:
				fmt.Fprintf(c.cfg.notices(), "coordinator: a worker did not join: %v\n", g.err)
			default:
				peers[g.peer.share] = g.peer
			}
		case <-timeout.C:
			c.mu.Lock()
			missing := c.barrier.Missing()
			c.mu.Unlock()
			return peers, lost("coordinator: %d of %d shares not ready after %s: %s", len(missing), len(peers), c.cfg.Wait, strings.Join(missing, ", "))
		case err := <-c.cfg.Exited:
			return peers, lost("coordinator: %v, before its share was ready", err)
		case <-done:
			return peers, errors.New("coordinator: interrupted while waiting for the workers")
		}
	}
}

func allSet(peers []*peer) bool {
	for _, p := range peers {
		if p == nil {
			return false
		}
	}
	return true
}
