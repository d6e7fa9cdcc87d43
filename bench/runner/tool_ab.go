package main

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"time"
)

// Running ab and reading its output.

var (
	reABComplete = regexp.MustCompile(`Complete requests:\s+(\d+)`)
	reABFailed   = regexp.MustCompile(`Failed requests:\s+(\d+)`)
	reABNon2xx   = regexp.MustCompile(`Non-2xx responses:\s+(\d+)`)
	reABRPS      = regexp.MustCompile(`Requests per second:\s+([\d.]+)`)
)

func runAB(c *Config, t *Tool, l Load) (Run, *Proc, error) {
	if l.Users == 0 {
		return nil, nil, ErrUnsupported("ab has no rate control (open model)")
	}
	timeout := l.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	// -t alone caps the run at 50,000 requests, so -n follows it; ab
	// allocates a record per request up front, so -n is sized for at most
	// 200,000 req/s rather than made huge.
	n := max(200000*int(math.Ceil(l.Duration.Seconds())), l.Users)
	args := []string{"-k", "-q", "-r", "-c", strconv.Itoa(l.Users), "-t", secs(l.Duration), "-n", strconv.Itoa(n),
		"-s", secs(timeout), l.URL}
	p, err := run(Job{CPU: c.GenCPU, Name: t.Bin, Args: args, Log: l.Log, Timeout: jobTimeout(l.Duration), Sample: l.Sample})
	if err != nil {
		return nil, p, err
	}
	m := reABComplete.FindStringSubmatch(p.Stdout)
	rps := reABRPS.FindStringSubmatch(p.Stdout)
	if m == nil || rps == nil {
		return nil, p, fmt.Errorf("ab exit %d: no summary: %s", p.Exit, lastLine(p.Stdout+p.Stderr))
	}
	r := baseRun(p)
	r["requests"] = atof(m[1])
	r["rps"] = atof(rps[1])
	var errs float64
	if s := reABFailed.FindStringSubmatch(p.Stdout); s != nil {
		errs += atof(s[1])
	}
	if s := reABNon2xx.FindStringSubmatch(p.Stdout); s != nil {
		errs += atof(s[1])
	}
	r["errors"] = errs
	return r, p, nil
}
