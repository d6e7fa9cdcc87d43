package flow

import (
	"context"
	"fmt"
	"strings"

	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/scenario"
	"github.com/surge-dev/surge/schedule"
	"github.com/surge-dev/surge/transport"
)

// Options adjust a script at run time, as command-line flags do.
type Options struct {
	Target   string // overrides config.target when set
	Insecure bool   // skip TLS verification
}

// UserAgent is sent unless the script sets its own user-agent header.
const UserAgent = "Surge (load test)"

// Compile builds an engine test from a script. Errors point into the
// script file.
func Compile(s *scenario.Script, opts Options) (*engine.Test, error) {
	c := &compiler{script: s, target: s.Config.Target}
	if opts.Target != "" {
		c.target = opts.Target
	}
	t := &engine.Test{
		Phases:  Phases(s.Config.Phases),
		Timeout: s.Config.HTTP.Timeout,
	}
	proto, err := transport.ParseProtocol(s.Config.HTTP.Protocol)
	if err != nil {
		return nil, &scenario.Error{File: s.File, Msg: err.Error()}
	}
	t.HTTP = transport.Config{Protocol: proto, Insecure: opts.Insecure || s.Config.HTTP.Insecure}
	if s.Config.HTTP.Pool > 0 {
		t.Conns, t.Connections = engine.Shared, s.Config.HTTP.Pool
	}
	for _, sc := range s.Scenarios {
		t.Scenarios = append(t.Scenarios, c.scenario(t, sc))
	}
	if len(c.errs) > 0 {
		return nil, c.errs
	}
	return t, nil
}

type compiler struct {
	script *scenario.Script
	target string
	errs   scenario.Errors
}

func (c *compiler) errorf(pos scenario.Pos, format string, args ...any) {
	c.errs = append(c.errs, &scenario.Error{File: c.script.File, Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

func (c *compiler) scenario(t *engine.Test, sc scenario.Scenario) engine.Scenario {
	var steps []step
	for _, st := range sc.Flow {
		switch {
		case st.Request != nil:
			if rs := c.request(t, st); rs != nil {
				steps = append(steps, rs)
			}
		case st.Think != nil:
			steps = append(steps, thinkStep(st.Think.Duration))
		}
	}
	return engine.Scenario{Name: sc.Name, Weight: sc.Weight, Run: func(ctx context.Context, vu *engine.VU) error {
		for _, s := range steps {
			if err := s.run(vu); err != nil {
				return err
			}
		}
		return nil
	}}
}

// Phases maps script phases to schedule phases. A script without phases
// runs one VU, as Artillery does.
func Phases(ps []scenario.Phase) []schedule.Phase {
	if len(ps) == 0 {
		return []schedule.Phase{{Kind: schedule.Count, ArrivalCount: 1, Duration: 0}}
	}
	out := make([]schedule.Phase, 0, len(ps))
	for _, p := range ps {
		out = append(out, phase(p))
	}
	return out
}

func phase(p scenario.Phase) schedule.Phase {
	sp := schedule.Phase{Name: p.Name, Duration: p.Duration, MaxVUsers: p.MaxVUsers}
	switch {
	case p.Pause > 0:
		sp.Kind, sp.Duration = schedule.Pause, p.Pause
	case p.Users > 0:
		sp.Kind, sp.Users, sp.SpawnRate = schedule.Users, p.Users, p.SpawnRate
	case p.HasCount:
		sp.Kind, sp.ArrivalCount = schedule.Count, p.ArrivalCount
	case p.HasRampTo:
		sp.Kind, sp.ArrivalRate, sp.RampTo = schedule.Ramp, p.ArrivalRate, p.RampTo
	case p.ArrivalRate > 0:
		sp.Kind, sp.ArrivalRate = schedule.Constant, p.ArrivalRate
	default:
		sp.Kind = schedule.Pause // a rate of 0 waits out the duration
	}
	return sp
}

// resolveURL prefixes the target to URLs that start with "/", by plain
// concatenation as Artillery does.
func (c *compiler) resolveURL(u string, pos scenario.Pos) (string, bool) {
	if strings.HasPrefix(u, "/") {
		if c.target == "" {
			c.errorf(pos, "url %q is relative but no target is set (config.target or --target)", u)
			return "", false
		}
		return c.target + u, true
	}
	if !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
		c.errorf(pos, "url %q: expected a path starting with / or an absolute http(s) URL", u)
		return "", false
	}
	return u, true
}
