package main

import (
	"encoding/json"
	"fmt"
	"strconv"
)

// Running the bench's own Go baselines and reading its output.

func runBaseline(mode string) func(c *Config, t *Tool, l Load) (Run, *Proc, error) {
	return func(c *Config, t *Tool, l Load) (Run, *Proc, error) {
		if l.Users == 0 {
			return nil, nil, ErrUnsupported("closed loop only")
		}
		return gobaseline(c, t, l, "-mode", mode, "-c", strconv.Itoa(l.Users), "-d", l.Duration.String(), l.URL)
	}
}

// runBaselineOpen runs gobaseline's floor of the open model: arrivals at
// the rate over the bound's keep-alive connections (64 when unbounded).
func runBaselineOpen(c *Config, t *Tool, l Load) (Run, *Proc, error) {
	if l.Rate <= 0 {
		return nil, nil, ErrUnsupported("the floor of the open model only: no closed loop")
	}
	conns := l.Conns
	if conns <= 0 {
		conns = 64
	}
	return gobaseline(c, t, l, "-mode", "open", "-r", ftoa(l.Rate), "-c", strconv.Itoa(conns), "-d", l.Duration.String(), l.URL)
}

// gobaseline runs it with args on the generator's CPU and reads the line
// it prints: requests, errors and seconds.
func gobaseline(c *Config, t *Tool, l Load, args ...string) (Run, *Proc, error) {
	p, err := run(Job{CPU: c.GenCPU, Name: t.Bin, Args: args, Log: l.Log, Timeout: jobTimeout(l.Duration), Sample: l.Sample})
	if err != nil {
		return nil, p, err
	}
	var out struct {
		Requests, Errors int64
		Seconds          float64
	}
	if err := json.Unmarshal([]byte(p.Stdout), &out); err != nil || out.Seconds == 0 {
		return nil, p, fmt.Errorf("gobaseline exit %d: %s", p.Exit, lastLine(p.Stdout+p.Stderr))
	}
	r := baseRun(p)
	r["requests"], r["errors"] = float64(out.Requests), float64(out.Errors)
	r["rps"] = float64(out.Requests) / out.Seconds
	return r, p, nil
}

// runBaselineArrivals runs gobaseline's floor of Artillery's model: a new
// connection per arrival, the flow's two GETs on it (the second URL as
// the first's capture would name it), then close.
func runBaselineArrivals(c *Config, t *Tool, l FlowLoad) (Run, *Proc, error) {
	if l.Users > 0 {
		return nil, nil, ErrUnsupported("the floor of a new connection per arrival only: no looping users")
	}
	args := []string{"-mode", "arrivals", "-r", ftoa(l.Rate), "-d", l.Duration.String(), l.Base + flowFirst, l.Base + flowSecond}
	p, err := run(Job{CPU: c.GenCPU, Name: t.Bin, Args: args, Log: l.Log, Timeout: flowTimeout(l.Duration)})
	if err != nil {
		return nil, p, err
	}
	var out struct {
		Requests, Errors, Flows int64
		Seconds                 float64
	}
	if err := json.Unmarshal([]byte(p.Stdout), &out); err != nil || out.Seconds == 0 {
		return nil, p, fmt.Errorf("gobaseline exit %d: %s", p.Exit, lastLine(p.Stdout+p.Stderr))
	}
	r := baseRun(p)
	r["requests"], r["errors"], r["flows"] = float64(out.Requests), float64(out.Errors), float64(out.Flows)
	r["rps"] = float64(out.Requests) / out.Seconds
	return r, p, nil
}
