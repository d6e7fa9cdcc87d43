package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// Running Surge and reading its output.

type surgeResults struct {
	Test struct {
		Ended     time.Time `json:"ended"`
		DurationS float64   `json:"duration_s"`
	} `json:"test"`
	Aggregate struct {
		Requests  int64            `json:"requests"`
		Errors    int64            `json:"errors"`
		Codes     map[string]int64 `json:"codes"`
		RPS       float64          `json:"rps"`
		Latency   surgeLatency     `json:"latency_ms"`
		Service   surgeLatency     `json:"service_ms"`
		MaxActive int64            `json:"max_active_vus"`
	} `json:"aggregate"`
	Counters  map[string]float64 `json:"counters"`
	Intervals []struct {
		Start     time.Time       `json:"start"`
		Requests  int64           `json:"requests"`
		Generator *surgeGenSecond `json:"generator"`
	} `json:"intervals"`
	// Generator is Surge's watch on itself (absent from builds before it).
	Generator *struct {
		Verdict string `json:"verdict"`
	} `json:"generator"`
}

// surgeGenSecond is one interval's watch of the generator on itself.
type surgeGenSecond struct {
	SendLagP99  float64 `json:"send_lag_p99_ms"`
	PacerLagP99 float64 `json:"pacer_lag_p99_ms"`
	TimerLagP99 float64 `json:"timer_lag_p99_ms"`
}

type surgeLatency struct {
	P50, P90, P99, P999, Max float64
}

func (l *surgeLatency) UnmarshalJSON(b []byte) error {
	var m map[string]float64
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	*l = surgeLatency{P50: m["p50"], P90: m["p90"], P99: m["p99"], P999: m["p999"], Max: m["max"]}
	return nil
}

func runSurge(c *Config, t *Tool, l Load) (Run, *Proc, error) {
	out := l.Log + ".json"
	_ = os.Remove(out)
	p, err := run(Job{CPU: c.GenCPU, Name: t.Bin, Args: surgeArgs(l, out), Log: l.Log, Timeout: jobTimeout(l.Duration), Sample: l.Sample})
	if err != nil {
		return nil, p, err
	}
	res, err := readSurge(out)
	if err != nil {
		return nil, p, fmt.Errorf("surge exit %d: %v: %s", p.Exit, err, lastLine(p.Stderr))
	}
	return surgeRun(p, res, l), p, nil
}

// runSurgeDefault is Surge in the open model with its default pool: no
// --connections, whatever the load asks.
func runSurgeDefault(c *Config, t *Tool, l Load) (Run, *Proc, error) {
	if l.Rate == 0 {
		return nil, nil, ErrUnsupported("surge-default is scenario b's open model without --connections only")
	}
	l.Conns = 0
	return runSurge(c, t, l)
}

// surgeArgs is the `surge quick` command line for l, writing results to out.
func surgeArgs(l Load, out string) []string {
	args := []string{"quick", l.URL, "--duration", l.Duration.String(), "--output", out, "--quiet"}
	if l.Timeout > 0 {
		args = append(args, "--timeout", l.Timeout.String())
	}
	switch {
	case l.Users > 0:
		args = append(args, "--users", strconv.Itoa(l.Users), "--connections", strconv.Itoa(l.Users))
	default:
		args = append(args, "--rate", ftoa(l.Rate))
		if l.Conns > 0 {
			args = append(args, "--connections", strconv.Itoa(l.Conns))
		}
	}
	return args
}

// surgeRun reads the metrics out of Surge's results file.
func surgeRun(p *Proc, res *surgeResults, l Load) Run {
	r := baseRun(p)
	a := res.Aggregate
	r["requests"] = float64(a.Requests)
	r["errors"] = float64(a.Errors + non2xx(a.Codes))
	r["rps"] = a.RPS
	putLatency(r, a.Latency.P50, a.Latency.P90, a.Latency.P99, a.Latency.P999, a.Latency.Max)
	r["svc_p99"] = a.Service.P99
	if l.Lag {
		// Surge records latency from the intended start and service time
		// from the actual send; their difference is the send lag of each
		// request, but the results keep only the two distributions, so
		// this is the difference of their percentiles: an estimate.
		r["tlag_p50"] = max(a.Latency.P50-a.Service.P50, 0)
		r["tlag_p99"] = max(a.Latency.P99-a.Service.P99, 0)
	}
	r["write_s"] = p.End.Sub(res.Test.Ended).Seconds()
	r["max_active"] = float64(a.MaxActive)
	r["test_s"] = res.Test.DurationS
	putGeneratorLag(r, res)
	return r
}

// putGeneratorLag stores Surge's own scheduling lag where its results
// carry the watch on the generator: the worst second's p99 of the send
// lag (arrivals, open model) and of its own timer, and whether it judged
// itself the bottleneck.
func putGeneratorLag(r Run, res *surgeResults) {
	seen := false
	for _, iv := range res.Intervals {
		if g := iv.Generator; g != nil {
			seen = true
			r["glag_p99"] = max(r["glag_p99"], g.SendLagP99, g.PacerLagP99)
			r["gtimer_p99"] = max(r["gtimer_p99"], g.TimerLagP99)
		}
	}
	if !seen {
		delete(r, "glag_p99")
		delete(r, "gtimer_p99")
	}
	if res.Generator != nil {
		r["gen_bound"] = float64(boolInt(res.Generator.Verdict == "generator-bound"))
	}
}

func readSurge(path string) (*surgeResults, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var res surgeResults
	if err := json.Unmarshal(b, &res); err != nil {
		return nil, err
	}
	return &res, nil
}

func non2xx(codes map[string]int64) int64 {
	var n int64
	for code, k := range codes {
		if !strings.HasPrefix(code, "2") {
			n += k
		}
	}
	return n
}

func putLatency(r Run, p50, p90, p99, p999, maxv float64) {
	r["p50"], r["p90"], r["p99"], r["p999"], r["max"] = p50, p90, p99, p999, maxv
}
