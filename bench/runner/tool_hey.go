package main

import (
	"bufio"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Running hey and reading its output.

var (
	reHeyRPS   = regexp.MustCompile(`Requests/sec:\s+([\d.]+)`)
	reHeyCode  = regexp.MustCompile(`\[(\d{3})\]\s+(\d+) responses`)
	reHeyError = regexp.MustCompile(`(?m)^\s+\[(\d+)\]\s+(?:Get|Post|dial|read)`)
)

func runHey(c *Config, t *Tool, l Load) (Run, *Proc, error) {
	args, err := heyArgs(l)
	if err != nil {
		return nil, nil, err
	}
	p, err := run(Job{CPU: c.GenCPU, Name: t.Bin, Args: args, Log: l.Log, Timeout: jobTimeout(l.Duration), Sample: l.Sample})
	if err != nil {
		return nil, p, err
	}
	r := baseRun(p)
	if l.Latency {
		err = heyLatency(r, p.Stdout, l.Duration)
	} else {
		err = heySummary(r, p)
	}
	if err != nil {
		return nil, p, err
	}
	return r, p, nil
}

// heyArgs is hey's command line for l; the samples go to stdout as CSV
// when l asks for the latency distribution.
func heyArgs(l Load) ([]string, error) {
	timeout := l.Timeout
	if timeout <= 0 {
		timeout = 20 * time.Second
	}
	args := []string{"-z", l.Duration.String(), "-t", strconv.Itoa(int(math.Ceil(timeout.Seconds())))}
	workers := l.Users
	if l.Users == 0 {
		// hey has no open model: -q caps each of -c workers at a rate, so
		// c workers × q approximates the target rate with c connections.
		workers = l.Conns
		if workers == 0 {
			workers = l.HeyWorkers
		}
		if workers == 0 {
			return nil, ErrUnsupported("hey has no open model with unbounded connections (-c workers × -q)")
		}
		args = append(args, "-q", ftoa(l.Rate/float64(workers)))
	}
	args = append(args, "-c", strconv.Itoa(workers))
	if l.Latency {
		args = append(args, "-o", "csv")
	}
	return append(args, l.URL), nil
}

// heyLatency fills r from hey's CSV samples; the rate is over the
// requested duration, since the CSV has no run time.
func heyLatency(r Run, stdout string, d time.Duration) error {
	lat, errs, n, err := heyCSV(stdout)
	if err != nil {
		return err
	}
	r["requests"], r["errors"] = float64(n), float64(errs)
	r["rps"] = float64(n) / d.Seconds()
	putSorted(r, lat)
	return nil
}

// heySummary fills r from hey's text summary: responses by status code
// plus the error distribution, which counts requests without a response.
func heySummary(r Run, p *Proc) error {
	rps := reHeyRPS.FindStringSubmatch(p.Stdout)
	if rps == nil {
		return fmt.Errorf("hey exit %d: no summary: %s", p.Exit, lastLine(p.Stdout+p.Stderr))
	}
	var n, bad, errs float64
	for _, m := range reHeyCode.FindAllStringSubmatch(p.Stdout, -1) {
		n += atof(m[2])
		if !strings.HasPrefix(m[1], "2") {
			bad += atof(m[2])
		}
	}
	if _, tail, ok := strings.Cut(p.Stdout, "Error distribution:"); ok {
		for _, m := range reHeyError.FindAllStringSubmatch(tail, -1) {
			errs += atof(m[1])
		}
	}
	r["requests"] = n + errs
	r["rps"] = atof(rps[1])
	r["errors"] = bad + errs
	return nil
}

// heyCSV reads hey's -o csv: response-time (s) first, status code 7th.
func heyCSV(s string) (lat []float64, errs, n int, err error) {
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		f := strings.Split(sc.Text(), ",")
		if len(f) < 7 || f[0] == "response-time" {
			continue
		}
		n++
		if !strings.HasPrefix(f[6], "2") {
			errs++
		}
		lat = append(lat, atof(f[0])*1000)
	}
	if n == 0 {
		return nil, 0, 0, errors.New("hey: no CSV rows")
	}
	return lat, errs, n, nil
}

// putSorted sorts latencies (ms) and stores the percentiles.
func putSorted(r Run, lat []float64) {
	slices.Sort(lat)
	putLatency(r, quantile(lat, .5), quantile(lat, .9), quantile(lat, .99), quantile(lat, .999), lat[len(lat)-1])
}
