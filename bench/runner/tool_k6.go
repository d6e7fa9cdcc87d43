package main

import (
	"encoding/json"
	"fmt"
	"os"
	"time"
)

// Running k6 and reading its output.

func runK6(c *Config, t *Tool, l Load) (Run, *Proc, error) {
	summary := l.Log + ".summary.json"
	script := l.Log + ".js"
	_ = os.Remove(summary)
	if err := os.WriteFile(script, []byte(k6Script(l, summary)), 0o644); err != nil {
		return nil, nil, err
	}
	args := []string{"run", "--quiet", "--no-color", "--no-usage-report", "--no-thresholds",
		"--summary-trend-stats", "avg,min,med,max,p(90),p(99),p(99.9)", script}
	p, err := run(Job{CPU: c.GenCPU, Name: t.Bin, Args: args, Env: []string{"K6_NO_USAGE_REPORT=true"}, Log: l.Log,
		Timeout: jobTimeout(l.Duration) + 5*time.Minute, Sample: l.Sample})
	if err != nil {
		return nil, p, err
	}
	r, err := k6Summary(summary, p)
	if err != nil {
		return nil, p, err
	}
	return r, p, nil
}

// k6Script is the k6 test for l; its handleSummary writes the end-of-test
// summary as JSON to summary.
func k6Script(l Load, summary string) string {
	timeout := l.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	return fmt.Sprintf(`import http from 'k6/http';
export const options = { %s, discardResponseBodies: true };
export default function () { http.get(%q, { timeout: '%ss' }); }
export function handleSummary(data) { return { %q: JSON.stringify(data) }; }
`, k6Options(l), l.URL, secs(timeout), summary)
}

// k6Options is a closed loop of VUs, or the constant-arrival-rate
// executor for an open model (with VUs capped at the connection bound).
func k6Options(l Load) string {
	if l.Users > 0 {
		return fmt.Sprintf(`vus: %d, duration: '%s'`, l.Users, secs(l.Duration)+"s")
	}
	pre, mx := l.K6Pre, l.K6Max
	if l.Conns > 0 {
		pre, mx = l.Conns, l.Conns
	}
	return fmt.Sprintf(`scenarios: { open: { executor: 'constant-arrival-rate', rate: %s, timeUnit: '1s',
      duration: '%ss', preAllocatedVUs: %d, maxVUs: %d } }`, ftoa(l.Rate), secs(l.Duration), pre, mx)
}

// k6Summary reads the metrics out of the summary k6 wrote.
func k6Summary(summary string, p *Proc) (Run, error) {
	b, err := os.ReadFile(summary)
	if err != nil {
		return nil, fmt.Errorf("k6 exit %d: %v: %s", p.Exit, err, lastLine(p.Stderr))
	}
	var data struct {
		Metrics map[string]struct {
			Values map[string]float64 `json:"values"`
		} `json:"metrics"`
	}
	if err := json.Unmarshal(b, &data); err != nil {
		return nil, fmt.Errorf("k6 summary: %v", err)
	}
	get := func(m, v string) float64 { return data.Metrics[m].Values[v] }
	r := baseRun(p)
	r["requests"] = get("http_reqs", "count")
	r["rps"] = get("http_reqs", "rate")
	r["errors"] = get("http_req_failed", "passes")
	r["dropped"] = get("dropped_iterations", "count")
	r["iterations"] = get("iterations", "count")
	putLatency(r, get("http_req_duration", "med"), get("http_req_duration", "p(90)"), get("http_req_duration", "p(99)"),
		get("http_req_duration", "p(99.9)"), get("http_req_duration", "max"))
	return r, nil
}
