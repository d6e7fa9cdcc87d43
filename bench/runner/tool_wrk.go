package main

import (
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// Running wrk and reading its output.

var (
	reWrkReqs   = regexp.MustCompile(`(\d+) requests in ([\d.]+)(\w+)`)
	reWrkRPS    = regexp.MustCompile(`Requests/sec:\s+([\d.]+)`)
	reWrkSock   = regexp.MustCompile(`Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)`)
	reWrkNon2xx = regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`)
)

func runWrk(c *Config, t *Tool, l Load) (Run, *Proc, error) {
	if l.Users == 0 {
		return nil, nil, ErrUnsupported("wrk 4 has no rate control (open model)")
	}
	timeout := l.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	args := []string{"-t1", "-c" + strconv.Itoa(l.Users), "-d" + secs(l.Duration), "--timeout", secs(timeout), l.URL}
	p, err := run(Job{CPU: c.GenCPU, Name: t.Bin, Args: args, Log: l.Log, Timeout: jobTimeout(l.Duration), Sample: l.Sample})
	if err != nil {
		return nil, p, err
	}
	m := reWrkReqs.FindStringSubmatch(p.Stdout)
	rps := reWrkRPS.FindStringSubmatch(p.Stdout)
	if m == nil || rps == nil {
		return nil, p, fmt.Errorf("wrk exit %d: no summary: %s", p.Exit, lastLine(p.Stdout+p.Stderr))
	}
	r := baseRun(p)
	r["requests"] = atof(m[1])
	r["rps"] = atof(rps[1])
	var errs float64
	if s := reWrkSock.FindStringSubmatch(p.Stdout); s != nil {
		errs += atof(s[1]) + atof(s[2]) + atof(s[3]) + atof(s[4])
	}
	if s := reWrkNon2xx.FindStringSubmatch(p.Stdout); s != nil {
		errs += atof(s[1])
	}
	r["errors"] = errs
	return r, p, nil
}
