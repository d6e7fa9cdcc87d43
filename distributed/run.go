package distributed

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/surge-dev/surge/coord"
	"github.com/surge-dev/surge/coord/wire"
	"github.com/surge-dev/surge/results"
	"github.com/surge-dev/surge/schedule"
	"github.com/surge-dev/surge/session"
)

// message is what a worker's reader hands the run: a second, the final
// results, or the error that ended the connection.
type message struct {
	share int
	tick  *wire.Tick
	final *wire.Final
	err   error
}

// running is the coordinator's state during the run.
type running struct {
	peers    []*peer
	merger   *coord.Merger
	view     *coord.View
	follower *session.Follower
	finals   []*results.Results
	started  []time.Time // each share's start on its worker's clock
	stopOnce sync.Once
	stops    chan wire.Stop // asked by a rule or the dashboard
}

// run starts the workers together, follows the merged seconds and merges
// the final results.
func (c *coordinator) run(ctx context.Context, peers []*peer, phases []schedule.Phase, meta results.Test, o session.Options) (session.Result, error) {
	r := &running{peers: peers, finals: make([]*results.Results, len(peers)), started: make([]time.Time, len(peers)),
		stops: make(chan wire.Stop, 1)}
	r.merger = c.merger(peers)
	test := session.Followed{Phases: phases, Meta: meta, Endpoints: r.merger.Endpoints(), Plan: c.wholePlan(phases)}
	f, err := session.Follow(ctx, test, o, func() { r.ask(wire.Stop{Reason: "stopped by a rule or the dashboard"}) })
	if err != nil {
		return session.Result{}, err
	}
	r.follower = f
	start := time.Now().Add(c.cfg.Lead)
	r.view = coord.NewView(start, r.merger.Endpoints())
	msgs, quit := make(chan message), make(chan struct{})
	defer close(quit)
	if err := c.start(peers, start, msgs, quit); err != nil {
		f.Abandon()
		return session.Result{}, err
	}
	if err := r.follow(ctx, msgs, o.Abort); err != nil {
		f.Abandon()
		return session.Result{}, err
	}
	merged, err := r.merge(start)
	if err != nil {
		f.Abandon()
		return session.Result{}, err
	}
	return f.Finish(merged)
}

// wholePlan is the plan of the whole test, as the merged document will
// name it (without the seed, which the shares' documents carry).
func (c *coordinator) wholePlan(phases []schedule.Phase) *results.Plan {
	p := &results.Plan{SHA256: c.cfg.Plan, Sequence: c.cfg.Sequence.String(), Segment: schedule.Whole().String()}
	if plan, err := schedule.New(phases); err == nil {
		p.Arrivals = plan.Arrivals()
	}
	return p
}

// merger adds the peers' seconds; the target's series come from share 0.
func (c *coordinator) merger(peers []*peer) *coord.Merger {
	var names [][]string
	var sources []string
	c.mu.Lock()
	for _, p := range peers {
		names, sources = append(names, c.barrier.Endpoints()), append(sources, p.name)
	}
	c.mu.Unlock()
	return coord.NewMerger(sources, names, 0)
}

// start sends each worker the start instant on its own clock and reads
// its messages from then on.
func (c *coordinator) start(peers []*peer, start time.Time, msgs chan<- message, quit <-chan struct{}) error {
	for _, p := range peers {
		if err := p.conn.Send(wire.KindStart, wire.Start{At: p.clock.OnWorker(start).Round(0)}); err != nil {
			return lost("%s: sending the start: %v", p.name, err)
		}
		go read(p, c.cfg.Wait, msgs, quit)
	}
	fmt.Fprintf(c.cfg.notices(), "coordinator: every share ready (%d in all); starting at %s\n", len(peers), start.Format("15:04:05.000"))
	return nil
}

// ask records a stop asked from the follower's goroutine.
func (r *running) ask(s wire.Stop) {
	select {
	case r.stops <- s:
	default:
	}
}

// stopAll tells every worker to stop, once (an abort may follow a stop).
func (r *running) stopAll(s wire.Stop) {
	send := func() {
		for _, p := range r.peers {
			p.conn.Send(wire.KindStop, s)
		}
	}
	if s.Abort {
		send()
		return
	}
	r.stopOnce.Do(send)
}

// follow merges the workers' seconds as they come until every final is
// in; a worker lost fails the run and stops the others.
func (r *running) follow(ctx context.Context, msgs <-chan message, abort <-chan struct{}) error {
	done := ctx.Done()
	for pending := len(r.peers); pending > 0; {
		select {
		case m := <-msgs:
			end, err := r.take(m)
			if err != nil {
				r.stopAll(wire.Stop{Reason: err.Error(), Abort: true})
				return err
			}
			if end {
				pending--
			}
		case s := <-r.stops:
			r.stopAll(s)
		case <-done:
			done = nil
			r.stopAll(wire.Stop{Reason: "the coordinator was interrupted"})
		case <-abort:
			abort = nil
			r.stopAll(wire.Stop{Reason: "the coordinator was interrupted twice", Abort: true})
		}
	}
	return nil
}

// take handles one message; end: the worker's final results are in.
func (r *running) take(m message) (end bool, err error) {
	p := r.peers[m.share]
	switch {
	case m.err != nil:
		return false, lost("coordinator: lost %s: %v", p.name, m.err)
	case m.final != nil && m.final.Error != "":
		return false, lost("coordinator: %s failed: %s", p.name, m.final.Error)
	case m.final != nil:
		if m.final.Results == nil {
			return false, lost("coordinator: %s sent no results", p.name)
		}
		r.finals[m.share], r.started[m.share] = m.final.Results, m.final.Started
		if r.started[m.share].IsZero() {
			r.started[m.share] = m.final.Results.Test.Started
		}
		merged, err := r.merger.End(m.share)
		return true, errors.Join(err, r.show(merged))
	}
	merged, err := r.merger.Add(m.share, m.tick.Interval, m.tick.Last)
	if err != nil {
		return false, err
	}
	return false, r.show(merged)
}

// show hands merged seconds to the outputs; the last one is final.
func (r *running) show(merged []results.Interval) error {
	for i, iv := range merged {
		final := r.merger.Done() && i == len(merged)-1
		snap, err := r.view.Snapshot(iv, final)
		if err != nil {
			return fmt.Errorf("coordinator: merged second %d: %w", iv.Index, err)
		}
		r.follower.Snapshot(snap, iv)
	}
	return nil
}

// read hands a worker's messages to the run until its final results: a
// running worker sends a second every second, so silence longer than
// stall means it is gone; after its last second it may take up to wait
// to write its files and send its results. It ends when quit is closed.
func read(p *peer, wait time.Duration, msgs chan<- message, quit <-chan struct{}) {
	timeout := stall
	for {
		f, err := p.conn.Receive(timeout, wire.KindTick, wire.KindFinal)
		m := message{share: p.share, err: err}
		if err == nil {
			m.err = decode(f, &m)
		}
		if m.tick != nil && m.tick.Last {
			timeout = max(wait, stall)
		}
		select {
		case msgs <- m:
		case <-quit: // the run is over
			return
		}
		if m.err != nil || m.final != nil {
			return
		}
	}
}

func decode(f wire.Frame, m *message) error {
	switch f.Kind {
	case wire.KindTick:
		m.tick = &wire.Tick{}
		return f.Decode(m.tick)
	case wire.KindFinal:
		m.final = &wire.Final{}
		return f.Decode(m.final)
	}
	return fmt.Errorf("a %s during the run", f.Kind)
}

// merge adds the workers' results exactly and records their clocks.
func (r *running) merge(start time.Time) (*results.Results, error) {
	var inputs []results.Input
	for k, res := range r.finals {
		inputs = append(inputs, results.Input{Source: r.peers[k].name, Results: res})
	}
	merged, err := results.Merge(inputs)
	if err != nil {
		return nil, err
	}
	var starts []time.Time
	for k, p := range r.peers {
		at := p.clock.OnCoordinator(r.started[k])
		starts = append(starts, at)
		merged.Plan.Clocks = append(merged.Plan.Clocks, results.Clock{Segment: p.segment, Worker: p.name,
			OffsetMS: ms(p.clock.Offset), RTTMS: ms(p.clock.RTT), Started: at, LateMS: ms(at.Sub(start))})
	}
	skew := ms(coord.Skew(starts))
	merged.Plan.StartSkewMS = &skew
	return merged, nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
