package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Config is the benchmark's knobs, read from BENCH_* environment
// variables. BENCH_QUICK=1 switches every default to a short smoke run.
type Config struct {
	Quick     bool
	Runs      int
	Scenarios []string // a, b, c, d, e, p (profile)
	Tools     []string // surge, wrk, ab, hey, vegeta, k6
	GenCPU    string   // CPU list for the load generators
	SrvCPU    string   // CPU list for the servers

	ADuration time.Duration
	AConns    int

	BRates    []float64
	BDuration time.Duration
	BConns    int      // connection bound in b (0: unbounded)
	BFloors   []string // reference generators b runs beside the peers

	CRate       float64
	CDuration   time.Duration
	CStallEvery time.Duration
	CStallFor   time.Duration
	CConns      int

	DVUs      int
	DK6VUs    int // k6 needs 1–5 MB per VU: it gets fewer so the box survives
	DDuration time.Duration
	DLatency  time.Duration

	ERequests int64
	ERuns     int
	ETools    []string
	ERateHint float64 // req/s used to size the long run when scenario a did not run

	PDuration time.Duration
	PRate     float64

	SUsers         int
	SDuration      time.Duration
	STools         []string
	SArtilleryRate float64 // req/s Artillery is expected to reach: sizes its loop count

	NRate         float64
	NDuration     time.Duration
	NBaseDuration time.Duration // the short run whose cost is subtracted
	NTools        []string

	TRuns, TWarmup int
	TTools         []string

	Dir     string // bench/
	Bin     string // bench/.tools/bin
	Work    string // bench/out: raw outputs of every run
	Results string // bench/RESULTS.md
	Surge   string // the surge binary under test
}

// envReader reads BENCH_* variables, collecting every bad value so that
// one run of the runner reports all of them at once.
type envReader struct {
	quick bool
	errs  []string
}

// pick is full's default, or short's under BENCH_QUICK=1.
func (r *envReader) pick(full, short string) string {
	if r.quick {
		return short
	}
	return full
}

func (r *envReader) num(key, def string) float64 {
	v, err := strconv.ParseFloat(env(key, def), 64)
	if err != nil {
		r.errs = append(r.errs, fmt.Sprintf("%s: %v", key, err))
	}
	return v
}

func (r *envReader) dur(key, def string) time.Duration {
	v, err := time.ParseDuration(env(key, def))
	if err != nil {
		r.errs = append(r.errs, fmt.Sprintf("%s: %v", key, err))
	}
	return v
}

// rates reads a comma-separated list of positive rates.
func (r *envReader) rates(key, def string) []float64 {
	var out []float64
	for _, f := range list(env(key, def)) {
		v, err := strconv.ParseFloat(f, 64)
		if err != nil || v <= 0 {
			r.errs = append(r.errs, key+": "+f)
		}
		out = append(out, v)
	}
	return out
}

func loadConfig() (*Config, error) {
	dir, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	r := &envReader{quick: env("BENCH_QUICK", "") == "1"}
	c := &Config{Quick: r.quick, Dir: dir}
	c.loadGeneral(r)
	c.loadAB(r)
	c.loadCD(r)
	c.loadEP(r)
	c.loadFlow(r)
	c.loadPaths(r)
	r.errs = append(r.errs, c.check()...)
	if len(r.errs) > 0 {
		return nil, fmt.Errorf("bad settings: %s", strings.Join(r.errs, "; "))
	}
	return c, nil
}

// loadGeneral reads the settings every scenario shares.
func (c *Config) loadGeneral(r *envReader) {
	c.Runs = int(r.num("BENCH_RUNS", r.pick("3", "1")))
	c.Scenarios = list(env("BENCH_SCENARIOS", "a,b,c,d,e,p,s,n,t"))
	c.Tools = list(env("BENCH_TOOLS", "surge,wrk,ab,hey,vegeta,k6,locust-fast,locust-http,go-nethttp,go-lean"))
	c.GenCPU = env("BENCH_GEN_CPU", "0")
	c.SrvCPU = env("BENCH_SRV_CPU", "1")
}

// loadAB reads scenarios a (throughput) and b (rate precision).
func (c *Config) loadAB(r *envReader) {
	c.ADuration = r.dur("BENCH_A_DURATION", r.pick("10s", "2s"))
	c.AConns = int(r.num("BENCH_A_CONNECTIONS", "64"))

	c.BRates = r.rates("BENCH_B_RATES", r.pick("10000,50000", "10000"))
	// 10 s: issue 16's "a 10 s test ends in 10 s" at 50,000 req/s.
	c.BDuration = r.dur("BENCH_B_DURATION", r.pick("10s", "3s"))
	c.BConns = int(r.num("BENCH_B_CONNECTIONS", "64"))
	c.BFloors = list(env("BENCH_B_FLOORS", "go-open"))
}

// loadCD reads scenarios c (honest latency) and d (many users).
func (c *Config) loadCD(r *envReader) {
	c.CRate = r.num("BENCH_C_RATE", "1000")
	c.CDuration = r.dur("BENCH_C_DURATION", r.pick("30s", "3s"))
	c.CStallEvery = r.dur("BENCH_C_STALL_EVERY", r.pick("10s", "1s"))
	c.CStallFor = r.dur("BENCH_C_STALL_FOR", r.pick("1s", "100ms"))
	c.CConns = int(r.num("BENCH_C_CONNECTIONS", "64"))

	c.DVUs = int(r.num("BENCH_D_VUS", r.pick("10000", "1000")))
	c.DK6VUs = int(r.num("BENCH_D_K6_VUS", r.pick("1000", "200")))
	c.DDuration = r.dur("BENCH_D_DURATION", r.pick("15s", "4s"))
	c.DLatency = r.dur("BENCH_D_LATENCY", "2s")
}

// loadEP reads scenario e (long run) and the profile.
func (c *Config) loadEP(r *envReader) {
	c.ERequests = int64(r.num("BENCH_E_REQUESTS", r.pick("10000000", "200000")))
	c.ERuns = int(r.num("BENCH_E_RUNS", r.pick("3", "1")))
	c.ETools = list(env("BENCH_E_TOOLS", "surge"))
	c.ERateHint = r.num("BENCH_E_RATE_HINT", "20000")

	c.PDuration = r.dur("BENCH_P_DURATION", r.pick("10s", "2s"))
	c.PRate = r.num("BENCH_P_RATE", "10000")
}

// loadFlow reads the scripted scenarios (s, n) and start-up (t).
func (c *Config) loadFlow(r *envReader) {
	c.SUsers = int(r.num("BENCH_S_USERS", "64"))
	c.SDuration = r.dur("BENCH_S_DURATION", r.pick("10s", "3s"))
	c.STools = list(env("BENCH_S_TOOLS", "surge,surge-quick,k6,artillery,locust-fast,locust-http"))
	c.SArtilleryRate = r.num("BENCH_S_ARTILLERY_RATE", "2000")

	c.NRate = r.num("BENCH_N_RATE", r.pick("200", "100"))
	c.NDuration = r.dur("BENCH_N_DURATION", r.pick("20s", "4s"))
	c.NBaseDuration = r.dur("BENCH_N_BASE_DURATION", r.pick("3s", "1s"))
	c.NTools = list(env("BENCH_N_TOOLS", "surge,artillery,k6,locust-fast,go-arrivals"))

	c.TRuns = int(r.num("BENCH_T_RUNS", r.pick("30", "10")))
	c.TWarmup = int(r.num("BENCH_T_WARMUP", r.pick("3", "1")))
	c.TTools = list(env("BENCH_T_TOOLS", "surge,hey,ab,go-linked"))
}

// loadPaths sets the directories and binaries, relative to bench/.
func (c *Config) loadPaths(r *envReader) {
	c.Bin = filepath.Join(c.Dir, ".tools", "bin")
	c.Work = env("BENCH_WORK", filepath.Join(c.Dir, "out"))
	// A smoke run never overwrites the record.
	c.Results = env("BENCH_RESULTS", r.pick(filepath.Join(c.Dir, "RESULTS.md"), filepath.Join(c.Work, "RESULTS-quick.md")))
	c.Surge = env("SURGE", filepath.Join(c.Dir, "..", "bin", "surge"))
}

// check reports settings that parse but cannot work together.
func (c *Config) check() []string {
	var errs []string
	if c.Runs < 1 || c.ERuns < 1 {
		errs = append(errs, "BENCH_RUNS and BENCH_E_RUNS must be at least 1")
	}
	if c.NBaseDuration >= c.NDuration {
		errs = append(errs, "BENCH_N_BASE_DURATION must be shorter than BENCH_N_DURATION")
	}
	if c.SUsers < 1 || c.NRate <= 0 || c.TRuns < 2 {
		errs = append(errs, "BENCH_S_USERS and BENCH_N_RATE must be positive, BENCH_T_RUNS at least 2")
	}
	if c.CStallFor >= c.CStallEvery {
		errs = append(errs, "BENCH_C_STALL_FOR must be shorter than BENCH_C_STALL_EVERY")
	}
	return errs
}

func (c *Config) has(scenario string) bool { return contains(c.Scenarios, scenario) }

func (c *Config) settings() [][2]string {
	rates := make([]string, len(c.BRates))
	for i, r := range c.BRates {
		rates[i] = strconv.FormatFloat(r, 'f', -1, 64)
	}
	return [][2]string{
		{"BENCH_QUICK", strconv.FormatBool(c.Quick)},
		{"BENCH_RUNS", strconv.Itoa(c.Runs)},
		{"BENCH_SCENARIOS", strings.Join(c.Scenarios, ",")},
		{"BENCH_TOOLS", strings.Join(c.Tools, ",")},
		{"BENCH_GEN_CPU / BENCH_SRV_CPU", c.GenCPU + " / " + c.SrvCPU},
		{"BENCH_A_DURATION, BENCH_A_CONNECTIONS", fmt.Sprintf("%v, %d", c.ADuration, c.AConns)},
		{"BENCH_B_RATES, BENCH_B_DURATION, BENCH_B_CONNECTIONS, BENCH_B_FLOORS", fmt.Sprintf("%s, %v, %d, %s", strings.Join(rates, ","), c.BDuration, c.BConns, strings.Join(c.BFloors, ","))},
		{"BENCH_C_RATE, BENCH_C_DURATION", fmt.Sprintf("%g, %v", c.CRate, c.CDuration)},
		{"BENCH_C_STALL_EVERY, BENCH_C_STALL_FOR, BENCH_C_CONNECTIONS", fmt.Sprintf("%v, %v, %d", c.CStallEvery, c.CStallFor, c.CConns)},
		{"BENCH_D_VUS, BENCH_D_K6_VUS, BENCH_D_DURATION, BENCH_D_LATENCY", fmt.Sprintf("%d, %d, %v, %v", c.DVUs, c.DK6VUs, c.DDuration, c.DLatency)},
		{"BENCH_E_REQUESTS, BENCH_E_RUNS, BENCH_E_TOOLS", fmt.Sprintf("%d, %d, %s", c.ERequests, c.ERuns, strings.Join(c.ETools, ","))},
		{"BENCH_P_DURATION, BENCH_P_RATE", fmt.Sprintf("%v, %g", c.PDuration, c.PRate)},
		{"BENCH_S_USERS, BENCH_S_DURATION, BENCH_S_TOOLS, BENCH_S_ARTILLERY_RATE", fmt.Sprintf("%d, %v, %s, %g", c.SUsers, c.SDuration, strings.Join(c.STools, ","), c.SArtilleryRate)},
		{"BENCH_N_RATE, BENCH_N_DURATION, BENCH_N_BASE_DURATION, BENCH_N_TOOLS", fmt.Sprintf("%g, %v, %v, %s", c.NRate, c.NDuration, c.NBaseDuration, strings.Join(c.NTools, ","))},
		{"BENCH_T_RUNS, BENCH_T_WARMUP, BENCH_T_TOOLS", fmt.Sprintf("%d, %d, %s", c.TRuns, c.TWarmup, strings.Join(c.TTools, ","))},
	}
}

func env(key, def string) string {
	if v, ok := os.LookupEnv(key); ok && v != "" {
		return v
	}
	return def
}

func list(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}
