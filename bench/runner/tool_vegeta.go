package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Running Vegeta and reading its output.

type vegetaReport struct {
	Duration int64          `json:"duration"`
	Wait     int64          `json:"wait"`
	Requests int64          `json:"requests"`
	Success  float64        `json:"success"`
	Codes    map[string]int `json:"status_codes"`
}

func runVegeta(c *Config, t *Tool, l Load) (Run, *Proc, error) {
	out := l.Log + ".bin"
	_ = os.Remove(out)
	p, err := run(Job{CPU: c.GenCPU, Name: t.Bin, Args: vegetaArgs(l, out), Stdin: "GET " + l.URL + "\n", Log: l.Log,
		Timeout: jobTimeout(l.Duration), Sample: l.Sample})
	if err != nil {
		return nil, p, err
	}
	r, err := vegetaTotals(t.Bin, out, p)
	if err != nil {
		return nil, p, err
	}
	if l.Latency || l.Lag {
		if err := vegetaDetail(t.Bin, out, l, r); err != nil {
			return nil, p, err
		}
	}
	if !l.Latency && !l.Lag {
		_ = os.Remove(out) // large; the report above keeps the totals
	}
	return r, p, nil
}

// vegetaArgs is the `vegeta attack` command line for l, writing the hits
// to out; a closed loop is rate 0 with as many workers as users.
func vegetaArgs(l Load, out string) []string {
	timeout := l.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	args := []string{"attack", "-duration", l.Duration.String(), "-timeout", timeout.String(), "-output", out}
	switch {
	case l.Users > 0:
		n := strconv.Itoa(l.Users)
		args = append(args, "-rate", "0", "-workers", n, "-max-workers", n, "-connections", n, "-max-connections", n)
	case l.Conns > 0:
		n := strconv.Itoa(l.Conns)
		args = append(args, "-rate", ftoa(l.Rate)+"/s", "-workers", n, "-max-workers", n, "-connections", n, "-max-connections", n)
	default:
		args = append(args, "-rate", ftoa(l.Rate)+"/s")
	}
	return args
}

// vegetaTotals reads requests, errors and rate from `vegeta report`.
func vegetaTotals(bin, out string, p *Proc) (Run, error) {
	js, err := output(bin, "report", "-type", "json", out)
	if err != nil {
		return nil, fmt.Errorf("vegeta exit %d: %v %s", p.Exit, err, lastLine(p.Stderr))
	}
	var rep vegetaReport
	if err := json.Unmarshal([]byte(js), &rep); err != nil {
		return nil, fmt.Errorf("vegeta report: %v", err)
	}
	r := baseRun(p)
	r["requests"] = float64(rep.Requests)
	r["errors"] = math.Round(float64(rep.Requests) * (1 - rep.Success))
	if d := rep.Duration + rep.Wait; d > 0 {
		r["rps"] = float64(rep.Requests) / (float64(d) / 1e9)
	}
	return r, nil
}

// vegetaDetail streams `vegeta encode -to csv` (timestamp ns, code,
// latency ns, bytes out, bytes in, error, body, attack, seq, …) for the
// latency percentiles and the send lag: hit seq was due seq/rate after
// the attack began; its timestamp is when it was actually sent.
func vegetaDetail(bin, file string, l Load, r Run) error {
	cmd := exec.Command(bin, "encode", "-to", "csv", file)
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	interval := 0.0
	if l.Rate > 0 {
		interval = 1e9 / l.Rate
	}
	h := readVegetaHits(pipe, interval)
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("vegeta encode: %v", err)
	}
	if len(h.lat) == 0 {
		return errors.New("vegeta encode: no results")
	}
	if l.Latency {
		putSorted(r, h.lat)
	}
	if l.Lag && len(h.dev) > 0 {
		putVegetaLag(r, h.dev, h.low)
	}
	return nil
}

// vegetaHits is what the CSV hits give: latencies (ms), and with a rate,
// each hit's send time minus its due time (ns) and the least of those.
type vegetaHits struct {
	lat, dev []float64
	low      float64
}

// readVegetaHits reads the CSV rows of `vegeta encode`; interval (ns)
// is 0 when the run had no rate, and then no deviations are kept.
func readVegetaHits(rd io.Reader, interval float64) vegetaHits {
	h := vegetaHits{low: math.Inf(1)}
	sc := bufio.NewScanner(rd)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		f := strings.SplitN(sc.Text(), ",", 10)
		if len(f) < 9 {
			continue
		}
		ts, lt, seq := atof(f[0]), atof(f[2]), atof(f[8])
		h.lat = append(h.lat, lt/1e6)
		if interval > 0 {
			d := ts - seq*interval
			h.dev = append(h.dev, d)
			h.low = min(h.low, d)
		}
	}
	return h
}

// putVegetaLag stores the lag percentiles (ms), aligned so that the
// earliest hit has lag 0, the same alignment as the server side.
func putVegetaLag(r Run, dev []float64, low float64) {
	for i := range dev {
		dev[i] = (dev[i] - low) / 1e6
	}
	slices.Sort(dev)
	r["tlag_p50"], r["tlag_p99"] = quantile(dev, .5), quantile(dev, .99)
}
