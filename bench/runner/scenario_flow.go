package main

import (
	"fmt"
)

// ---- s: the scripted flow, looping users on pooled connections ----

// flowTools is names in order, without the tools the runner does not
// know or that have no scripts (each dropped with a note).
func (b *Bench) flowTools(scenario string, names []string) []string {
	var out []string
	for _, n := range names {
		t, ok := b.tools[n]
		switch {
		case !ok:
			b.Notes = append(b.Notes, fmt.Sprintf("%s: unknown tool %q ignored", scenario, n))
		case t.flow == nil:
			b.Notes = append(b.Notes, fmt.Sprintf("%s: %s has no scripts; left out", scenario, n))
		default:
			out = append(out, n)
		}
	}
	return out
}

func (b *Bench) scenarioS(ngx *Server) {
	c := b.c
	base := "http://" + ngx.Addr
	loops := artilleryLoops(c.SDuration, c.SUsers, c.SArtilleryRate)
	b.S = b.eachConns("s", b.flowTools("s", c.STools), c.SUsers, func(t *Tool, _ int, log string) (Run, error) {
		m, _, err := t.flow(c, t, FlowLoad{Base: base, Users: c.SUsers, Duration: c.SDuration, Loops: loops, Log: log})
		if err != nil {
			return nil, err
		}
		putPerRequest(m)
		return m, nil
	})
}

// putPerRequest derives the CPU cost of a request and the share of the
// generator's core a run used.
func putPerRequest(m Run) {
	if m["requests"] > 0 && m["cpu_s"] > 0 {
		m["us_req"] = m["cpu_s"] * 1e6 / m["requests"]
		m["rps_cpu"] = m["requests"] / m["cpu_s"]
		m["sys_pct"] = m["sys_s"] / m["cpu_s"] * 100
	}
	if m["wall_s"] > 0 {
		m["core_pct"] = m["cpu_s"] / m["wall_s"] * 100
	}
}

// ---- n: the scripted flow with a new VU (new connection) per arrival ----

func (b *Bench) scenarioN(ngx *Server) {
	c := b.c
	base := "http://" + ngx.Addr
	b.N = b.eachConns("n", b.flowTools("n", c.NTools), int(c.NRate*c.NDuration.Seconds())*2, func(t *Tool, _ int, log string) (Run, error) {
		// A short run first, at the same rate: what the long run costs
		// beyond it is the cost of its extra arrivals, without the tool's
		// start-up and teardown (Node.js and Python start in seconds of
		// CPU on a busy core, which a modest rate would not amortise).
		short, _, err := t.flow(c, t, FlowLoad{Base: base, Rate: c.NRate, Duration: c.NBaseDuration, Log: log + "-short"})
		if err != nil {
			return nil, err
		}
		b.drainTimeWait(int(c.NRate * c.NDuration.Seconds() * 2))
		m, _, err := t.flow(c, t, FlowLoad{Base: base, Rate: c.NRate, Duration: c.NDuration, Log: log})
		if err != nil {
			return nil, err
		}
		putArrivalCost(m, short)
		return m, nil
	})
}

// putArrivalCost stores the arrivals per CPU-second of the whole run and
// the marginal ones (the long run less the short one), with the kernel's
// share of each.
func putArrivalCost(m, short Run) {
	putPerRequest(m)
	if m["flows"] > 0 && m["cpu_s"] > 0 {
		m["arr_cpu"] = m["flows"] / m["cpu_s"]
	}
	if m["wall_s"] > 0 {
		m["arr_rate"] = m["flows"] / m["wall_s"]
	}
	dFlows, dCPU := m["flows"]-short["flows"], m["cpu_s"]-short["cpu_s"]
	if dFlows <= 0 || dCPU <= 0 {
		return
	}
	m["arr_cpu_marg"] = dFlows / dCPU
	m["us_arr_marg"] = dCPU * 1e6 / dFlows
	m["sys_pct_marg"] = min(max((m["sys_s"]-short["sys_s"])/dCPU*100, 0), 100)
	m["startup_cpu_s"] = max(short["cpu_s"]-short["flows"]*dCPU/dFlows, 0)
}
