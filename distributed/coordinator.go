package distributed

import (
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/surge-dev/surge/coord"
	"github.com/surge-dev/surge/coord/wire"
	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/results"
	"github.com/surge-dev/surge/schedule"
	"github.com/surge-dev/surge/session"
)

// DefaultLead is how far ahead of the barrier's completion the start
// instant is set: long enough for the start to reach every worker.
const DefaultLead = 1500 * time.Millisecond

// DefaultListen is where a coordinator listens unless told otherwise.
const DefaultListen = "127.0.0.1:7337"

// Config says how a coordinator runs.
type Config struct {
	Listen string // address workers connect to ("": DefaultListen)
	Token  string // required in every hello ("": none)
	// Wait bounds the barrier: every share ready within it (0:
	// DefaultWait).
	Wait time.Duration
	// Lead is the time from the barrier's completion to the start (0:
	// DefaultLead).
	Lead time.Duration
	// Sequence cuts the test into the shares to gather.
	Sequence schedule.Sequence
	// Plan is the plan hash every share must have ("": the first ready
	// share's).
	Plan string
	// Version is this Surge's; a worker of another version is named in
	// a notice (the plan hash does not cover how a version sends).
	Version string
	// Notices receives what the coordinator says (where it listens, who
	// joined, what went wrong); nil: nowhere.
	Notices io.Writer
	// Listening is called with the address once the coordinator listens
	// (surge run --local starts its workers then).
	Listening func(addr string) error
	// Exited receives the failure of a worker process the caller started
	// (Processes.Exited), so that the barrier stops waiting for it (nil:
	// none).
	Exited <-chan error
}

func (c Config) notices() io.Writer {
	if c.Notices == nil {
		return io.Discard
	}
	return c.Notices
}

// Own is the share the coordinator runs itself, as a worker would.
type Own struct {
	Test    *engine.Test
	Meta    results.Test
	Options session.Options
	Segment string // "from:to" of Config.Sequence ("": assigned)
}

// coordinator is one Coordinate call.
type coordinator struct {
	cfg      Config
	mu       sync.Mutex // the barrier, from the handshakes' goroutines
	barrier  *coord.Barrier
	gathered chan gathered
	quit     chan struct{} // closed once the barrier is over
	failed   error         // why the barrier failed (nil: it did not), set before quit closes
}

// deliver hands a handshake's end to the barrier, or drops the worker if
// the barrier is over. A worker that became ready after the barrier
// failed (it was still measuring its clock when another share was
// refused) is told why, as those gathered before it are: closed without
// a word, it would report a lost coordinator.
func (c *coordinator) deliver(conn *wire.Conn) {
	g := c.handshake(conn)
	select {
	case c.gathered <- g:
	case <-c.quit:
		if g.peer != nil && c.failed != nil {
			conn.Send(wire.KindRefused, refusalOf(c.failed))
		}
		conn.Close()
	}
}

// Outcome is a finished distributed test: the merged result, judged, and
// the workers waiting for the verdict.
type Outcome struct {
	session.Result
	peers []*peer
	own   <-chan error // the own share's end (nil: none)
}

// Release sends every worker the whole test's verdict and closes the
// connections (a worker still sending gets an error at once); with an
// own share, it waits for it to end.
func (o *Outcome) Release(v Verdict) {
	for _, p := range o.peers {
		if p != nil {
			p.conn.Send(wire.KindDone, wire.Done{Code: v.Code, Message: v.Message})
			p.conn.Close()
		}
	}
	if o.own != nil {
		<-o.own
	}
}

// Coordinate runs a test split into the shares of c.Sequence: it listens,
// runs own (if any), gathers the workers, starts them together, shows
// and judges the merged seconds through session.Follow with o (phases
// and meta describe the test), stops them when a rule, the dashboard or
// ctx says so, and merges their results. The caller judges the outcome
// and releases the workers with the verdict. Errors: *MismatchError
// (refused at the barrier), *LostError (a worker missing or lost),
// *session.InputError, or another error of the network or the outputs.
func Coordinate(ctx context.Context, c Config, phases []schedule.Phase, meta results.Test, o session.Options, own *Own) (*Outcome, error) {
	c.Wait, c.Lead = orDefault(c.Wait, DefaultWait), orDefault(c.Lead, DefaultLead)
	if c.Listen == "" {
		c.Listen = DefaultListen
	}
	l, err := net.Listen("tcp", c.Listen)
	if err != nil {
		return nil, fmt.Errorf("coordinator: listen on %s: %w", c.Listen, err)
	}
	defer l.Close()
	co := &coordinator{cfg: c, barrier: coord.NewBarrier(c.Sequence), gathered: make(chan gathered), quit: make(chan struct{})}
	fmt.Fprintf(c.notices(), "coordinator: listening on %s for the shares of %s (%d in all)\n", l.Addr(), c.Sequence, c.Sequence.Shares())
	ownDone := co.startOwn(ctx, own) // first: it reserves its share
	go co.accept(l)
	if c.Listening != nil {
		if err := c.Listening(l.Addr().String()); err != nil {
			close(co.quit)
			if ownDone != nil {
				<-ownDone // refused at the barrier, which is over
			}
			return nil, err
		}
	}
	peers, err := co.gather(ctx.Done())
	l.Close()
	co.failed = err
	close(co.quit)
	out := &Outcome{peers: peers, own: ownDone}
	if err != nil {
		co.refuseAll(peers, err)
		out.waitOwn()
		return nil, err
	}
	out.Result, err = co.run(ctx, peers, phases, meta, o)
	if err != nil {
		out.Release(Verdict{Code: exitLost, Message: err.Error()})
		return nil, err
	}
	return out, nil
}

// exitLost is the exit code of a run that lost a worker (surge run's 3).
const exitLost = 3

func (o *Outcome) waitOwn() {
	for _, p := range o.peers {
		if p != nil {
			p.conn.Close()
		}
	}
	if o.own != nil {
		<-o.own
	}
}

// accept hands each connection to a handshake until l is closed.
func (c *coordinator) accept(l net.Listener) {
	for {
		nc, err := l.Accept()
		if err != nil {
			return
		}
		conn := wire.New(nc)
		conn.Timeout = sendTimeout
		go c.deliver(conn)
	}
}

// startOwn runs the coordinator's own share as a worker over a pipe.
func (c *coordinator) startOwn(ctx context.Context, own *Own) <-chan error {
	if own == nil {
		return nil
	}
	mine, theirs := net.Pipe()
	if own.Segment == "" {
		own.Segment = c.cfg.Sequence.Share(0)
	}
	if k, err := c.cfg.Sequence.Find(own.Segment); err == nil {
		c.barrier.Reserve(k, mine.RemoteAddr().String())
	}
	conn := wire.New(mine)
	conn.Timeout = sendTimeout
	go c.deliver(conn)
	done := make(chan error, 1)
	w := Worker{Token: c.cfg.Token, Version: c.cfg.Version, Segment: own.Segment, Sequence: c.cfg.Sequence.String(), Wait: c.cfg.Wait, conn: theirs}
	go func() {
		_, _, err := Work(ctx, w, own.Test, own.Meta, own.Options)
		theirs.Close()
		done <- err
	}()
	return done
}

// refuseAll tells the workers gathered so far that the run will not
// start.
func (c *coordinator) refuseAll(peers []*peer, err error) {
	for _, p := range peers {
		if p != nil {
			p.conn.Send(wire.KindRefused, refusalOf(err))
		}
	}
}

// refusalOf is the refusal of a run whose barrier failed with err: exit
// 2 for a share refused there, 3 for one lost. The reason goes without
// this side's "coordinator: ": the worker says whose refusal it is
// (refusal), and would otherwise print it twice.
func refusalOf(err error) wire.Refused {
	code := exitLost
	if _, ok := err.(*MismatchError); ok {
		code = 2
	}
	return wire.Refused{Reason: strings.TrimPrefix(err.Error(), "coordinator: "), Code: code}
}
