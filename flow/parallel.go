package flow

import (
	"errors"
	"net/http"

	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/scenario"
)

// parallelStep runs Artillery's parallel: every step starts at once,
// sharing the VU's variables. Artillery builds all the requests first
// (templates render before any response comes back) and, without
// http.pool, each VU has a single connection, so the server receives
// them one after another, in the order its HTTP client (got) hands them
// to the connection: got measures a body asynchronously before it starts
// a request, so the requests without a body go first, then those with
// one, each in step order (difftest s26). Surge renders the requests
// first, then sends them in that order. A failed step fails the VU once
// the others are done, as their requests were already on their way.
// Steps that are not requests (think, log, loop) run after them.
type parallelStep struct {
	steps []step
}

func (p *Program) parallel(t *engine.Test, st scenario.Step) step {
	if p.script.Config.HTTP.Pool > 0 {
		p.warnf(st.Pos, "parallel: with http.pool Artillery sends these requests at once; Surge sends them one after another, as Artillery does without a pool")
	}
	return &parallelStep{steps: p.steps(t, st.Parallel.Steps)}
}

// pending is a request rendered before its turn.
type pending struct {
	req *http.Request
	err error
	on  bool
}

func (ps *parallelStep) run(st *state) error {
	ready := make([]pending, len(ps.steps))
	for i, s := range ps.steps {
		if rs, ok := s.(*requestStep); ok {
			if ready[i].on = rs.enabled(st); ready[i].on {
				ready[i].req, ready[i].err = rs.build(st)
			}
		}
	}
	var first error
	for _, i := range ps.order(ready) {
		err := ps.runOne(st, ps.steps[i], ready[i])
		if errors.Is(err, engine.ErrStopped) {
			return err
		}
		if first == nil {
			first = err
		}
	}
	return first
}

func (ps *parallelStep) runOne(st *state, s step, ready pending) error {
	rs, ok := s.(*requestStep)
	if !ok {
		return s.run(st)
	}
	if !ready.on {
		return nil
	}
	if ready.err != nil {
		return ready.err
	}
	return rs.send(st, ready.req)
}

// order is the order the steps go out in: requests without a body,
// requests with one, then the other steps, each group in step order.
func (ps *parallelStep) order(ready []pending) []int {
	var bodiless, bodied, others []int
	for i, s := range ps.steps {
		_, ok := s.(*requestStep)
		switch {
		case !ok:
			others = append(others, i)
		case ready[i].req != nil && ready[i].req.Body != nil:
			bodied = append(bodied, i)
		default:
			bodiless = append(bodiless, i)
		}
	}
	return append(append(bodiless, bodied...), others...)
}
