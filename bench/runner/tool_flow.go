package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"time"
)

// Running the scripted flow (flow.go) with each tool that has scripts.

// flowTimeout bounds a flow run: Artillery and Locust start slowly on a
// busy core, and Artillery's closed loop runs a count, not a duration.
func flowTimeout(d time.Duration) time.Duration { return 3*jobTimeout(d) + 2*time.Minute }

// runSurgeFlow runs the flow's YAML script with `surge run`: users replace
// its phases with -u (a closed loop), a rate runs the script as written.
func runSurgeFlow(c *Config, t *Tool, l FlowLoad) (Run, *Proc, error) {
	script, out := l.Log+".yml", l.Log+".json"
	_ = os.Remove(out)
	if err := os.WriteFile(script, []byte(artilleryScript(FlowLoad{Base: l.Base, Rate: max(l.Rate, 1), Duration: l.Duration})), 0o644); err != nil {
		return nil, nil, err
	}
	args := []string{"run", "--output", out, "--quiet"}
	if l.Users > 0 {
		args = append(args, "--users", strconv.Itoa(l.Users), "--duration", l.Duration.String())
	}
	p, err := run(Job{CPU: c.GenCPU, Name: t.Bin, Args: append(args, script), Log: l.Log, Timeout: flowTimeout(l.Duration)})
	if err != nil {
		return nil, p, err
	}
	res, err := readSurge(out)
	if err != nil {
		return nil, p, fmt.Errorf("surge exit %d: %v: %s", p.Exit, err, lastLine(p.Stderr))
	}
	r := surgeRun(p, res, Load{Lag: true})
	r["flows"] = res.Counters["vusers.completed"]
	return r, p, nil
}

// runSurgeQuickFlow is the reference: `surge quick` on the flow's first
// URL with the same users, one request per iteration and no script.
func runSurgeQuickFlow(c *Config, t *Tool, l FlowLoad) (Run, *Proc, error) {
	if l.Users == 0 {
		return nil, nil, ErrUnsupported("surge quick has no new VU per arrival: it is the pooled flow's reference")
	}
	return runSurge(c, t, Load{URL: l.Base + flowFirst, Users: l.Users, Duration: l.Duration, Log: l.Log})
}

// runK6Flow runs the flow's JavaScript with k6.
func runK6Flow(c *Config, t *Tool, l FlowLoad) (Run, *Proc, error) {
	summary, script := l.Log+".summary.json", l.Log+".js"
	_ = os.Remove(summary)
	if err := os.WriteFile(script, []byte(k6FlowScript(l, summary)), 0o644); err != nil {
		return nil, nil, err
	}
	args := []string{"run", "--quiet", "--no-color", "--no-usage-report", "--no-thresholds",
		"--summary-trend-stats", "avg,min,med,max,p(90),p(99),p(99.9)", script}
	p, err := run(Job{CPU: c.GenCPU, Name: t.Bin, Args: args, Env: []string{"K6_NO_USAGE_REPORT=true"}, Log: l.Log,
		Timeout: flowTimeout(l.Duration)})
	if err != nil {
		return nil, p, err
	}
	r, err := k6Summary(summary, p)
	if err != nil {
		return nil, p, err
	}
	r["flows"] = r["iterations"]
	return r, p, nil
}

// runLocustFlow runs the flow's locustfile: users only, as Locust has no
// arrivals.
func runLocustFlow(class locustClass) func(c *Config, t *Tool, l FlowLoad) (Run, *Proc, error) {
	return func(c *Config, t *Tool, l FlowLoad) (Run, *Proc, error) {
		if l.Users == 0 {
			return nil, nil, ErrUnsupported("Locust has no new user per arrival: its users loop")
		}
		file := l.Log + ".py"
		if err := os.WriteFile(file, []byte(locustFlowFile(class)), 0o644); err != nil {
			return nil, nil, err
		}
		ll := Load{Users: l.Users, Duration: l.Duration, Log: l.Log}
		p, err := run(Job{CPU: c.GenCPU, Name: t.Bin, Args: locustArgs(ll, file, l.Base), Log: l.Log, Timeout: flowTimeout(l.Duration)})
		if err != nil {
			return nil, p, err
		}
		r, err := locustResults(p, l.Log+"_stats.csv")
		if err != nil {
			return nil, p, err
		}
		r["flows"] = r["requests"] / 2
		return r, p, nil
	}
}

// runArtilleryFlow runs the flow's YAML script with Artillery and reads
// its JSON report.
func runArtilleryFlow(c *Config, t *Tool, l FlowLoad) (Run, *Proc, error) {
	script, out := l.Log+".yml", l.Log+".json"
	_ = os.Remove(out)
	if err := os.WriteFile(script, []byte(artilleryScript(l)), 0o644); err != nil {
		return nil, nil, err
	}
	p, err := run(Job{CPU: c.GenCPU, Name: t.Bin, Args: []string{"run", "--quiet", "--output", out, script},
		Env: []string{"ARTILLERY_DISABLE_TELEMETRY=true"}, Log: l.Log, Timeout: flowTimeout(l.Duration)})
	if err != nil {
		return nil, p, err
	}
	bs, err := os.ReadFile(out)
	if err != nil {
		return nil, p, fmt.Errorf("artillery exit %d: %v: %s", p.Exit, err, lastLine(p.Stderr+p.Stdout))
	}
	r, err := artilleryReport(bs)
	if err != nil {
		return nil, p, err
	}
	for k, v := range baseRun(p) {
		r[k] = v
	}
	return r, p, nil
}

// artilleryReport reads the aggregate of an Artillery JSON report: the
// counters, the rate over the span from the first to the last counter,
// and the response-time summary.
func artilleryReport(bs []byte) (Run, error) {
	var rep struct {
		Aggregate struct {
			Counters       map[string]float64 `json:"counters"`
			FirstCounterAt float64            `json:"firstCounterAt"`
			LastCounterAt  float64            `json:"lastCounterAt"`
			Summaries      map[string]map[string]float64
		} `json:"aggregate"`
	}
	if err := json.Unmarshal(bs, &rep); err != nil {
		return nil, fmt.Errorf("artillery report: %v", err)
	}
	a := rep.Aggregate
	r := Run{"requests": a.Counters["http.requests"], "flows": a.Counters["vusers.completed"],
		"errors": a.Counters["vusers.failed"]}
	for code, n := range a.Counters {
		if len(code) == len("http.codes.200") && code[:len("http.codes.")] == "http.codes." && code[len("http.codes.")] != '2' {
			r["errors"] += n
		}
	}
	if span := (a.LastCounterAt - a.FirstCounterAt) / 1000; span > 0 {
		r["rps"] = r["requests"] / span
	}
	rt := a.Summaries["http.response_time"]
	putLatency(r, rt["p50"], rt["p90"], rt["p99"], rt["p999"], rt["max"])
	return r, nil
}
