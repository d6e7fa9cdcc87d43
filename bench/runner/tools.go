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
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Load is what one generator run must do.
type Load struct {
	URL      string
	Users    int     // > 0: closed loop with this many connections / VUs
	Rate     float64 // > 0: open model at this many requests per second
	Conns    int     // open model: bound on connections (0: unbounded)
	Duration time.Duration
	Timeout  time.Duration // per request
	Sample   time.Duration // sample RSS this often (0: never)
	// Latency asks for the full latency distribution (p99.9 included) and
	// Lag for the tool's own view of how late requests were sent.
	Latency, Lag bool
	K6Pre, K6Max int // k6 open model: pre-allocated and maximum VUs
	HeyWorkers   int // hey, open model without a connection bound: -c
	Log          string
}

// ErrUnsupported marks a load a tool cannot generate.
type ErrUnsupported string

func (e ErrUnsupported) Error() string { return string(e) }

// Tool runs one kind of load generator.
type Tool struct {
	Name    string
	Bin     string
	Version string
	Missing string // why it is not available
	// Reference marks the bench's own Go baselines (closed loop only):
	// they are not peers and take part in scenarios a and d only.
	Reference bool
	// ClosedOnly marks generators without rate control (no open model).
	ClosedOnly bool
	run        func(c *Config, t *Tool, l Load) (Run, *Proc, error)
}

func tools(c *Config, peers map[string][2]string) map[string]*Tool {
	all := map[string]*Tool{
		"surge":  {Name: "surge", Bin: c.Surge, run: runSurge},
		"wrk":    {Name: "wrk", Bin: "/usr/bin/wrk", run: runWrk, ClosedOnly: true},
		"ab":     {Name: "ab", Bin: "/usr/bin/ab", run: runAB, ClosedOnly: true},
		"hey":    {Name: "hey", Bin: filepath.Join(c.Bin, "hey"), run: runHey},
		"vegeta": {Name: "vegeta", Bin: filepath.Join(c.Bin, "vegeta"), run: runVegeta},
		"k6":     {Name: "k6", Bin: filepath.Join(c.Bin, "k6"), run: runK6},
		"go-nethttp": {Name: "go-nethttp", Bin: filepath.Join(c.Bin, "gobaseline"), run: runBaseline("nethttp"),
			Reference: true, ClosedOnly: true, Version: "bench/gobaseline -mode nethttp"},
		"go-lean": {Name: "go-lean", Bin: filepath.Join(c.Bin, "gobaseline"), run: runBaseline("lean"),
			Reference: true, ClosedOnly: true, Version: "bench/gobaseline -mode lean"},
	}
	for name, t := range all {
		if p, ok := peers[name]; ok {
			t.Version = p[0]
			if strings.HasPrefix(p[1], "missing") {
				t.Missing = p[1]
			}
		}
		if _, err := os.Stat(t.Bin); err != nil && t.Missing == "" {
			t.Missing = "missing: " + t.Bin + " not found"
		}
	}
	if v, err := output(c.Surge, "--version"); err == nil {
		all["surge"].Version = strings.TrimSpace(v)
	}
	return all
}

func jobTimeout(d time.Duration) time.Duration { return 2*d + 90*time.Second }

// baseRun fills the metrics every generator has.
func baseRun(p *Proc) Run {
	return Run{"cpu_s": p.CPU.Seconds(), "rss_mb": float64(p.MaxRSSKB) / 1024, "wall_s": p.Wall.Seconds()}
}

// ---- Surge ----

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
	Intervals []struct {
		Start    time.Time `json:"start"`
		Requests int64     `json:"requests"`
	} `json:"intervals"`
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
	return r
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

// ---- wrk ----

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

// ---- ab ----

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

// ---- hey ----

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

// ---- Vegeta ----

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

// ---- k6 ----

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
	putLatency(r, get("http_req_duration", "med"), get("http_req_duration", "p(90)"), get("http_req_duration", "p(99)"),
		get("http_req_duration", "p(99.9)"), get("http_req_duration", "max"))
	return r, nil
}

// ---- the bench's own Go baselines ----

func runBaseline(mode string) func(c *Config, t *Tool, l Load) (Run, *Proc, error) {
	return func(c *Config, t *Tool, l Load) (Run, *Proc, error) {
		if l.Users == 0 {
			return nil, nil, ErrUnsupported("closed loop only")
		}
		args := []string{"-mode", mode, "-c", strconv.Itoa(l.Users), "-d", l.Duration.String(), l.URL}
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
}

// ---- helpers ----

func ftoa(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func secs(d time.Duration) string { return strconv.Itoa(int(math.Ceil(d.Seconds()))) }

func atof(s string) float64 {
	v, _ := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return v
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	if len(s) > 300 {
		s = s[:300]
	}
	return s
}
