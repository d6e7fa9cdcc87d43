package main

import (
	"os"
	"path/filepath"
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
	// flow runs the scripted flow of scenarios s and n (nil: no scripts).
	flow func(c *Config, t *Tool, l FlowLoad) (Run, *Proc, error)
}

// flowOnly is the run function of a tool that takes part in the scripted
// scenarios only.
func flowOnly(why string) func(c *Config, t *Tool, l Load) (Run, *Proc, error) {
	return func(*Config, *Tool, Load) (Run, *Proc, error) { return nil, nil, ErrUnsupported(why) }
}

func tools(c *Config, peers map[string][2]string) map[string]*Tool {
	all := map[string]*Tool{
		"surge": {Name: "surge", Bin: c.Surge, run: runSurge, flow: runSurgeFlow},
		"surge-quick": {Name: "surge-quick", Bin: c.Surge, run: flowOnly("surge-quick is the scripted flow's reference only"),
			flow: runSurgeQuickFlow, Reference: true, ClosedOnly: true},
		"surge-default": {Name: "surge-default", Bin: c.Surge, run: runSurgeDefault, Reference: true},
		"artillery": {Name: "artillery", Bin: filepath.Join(c.Bin, "artillery"), run: flowOnly("Artillery runs the scripted scenarios (s, n) only"),
			flow: runArtilleryFlow},
		"wrk":         {Name: "wrk", Bin: "/usr/bin/wrk", run: runWrk, ClosedOnly: true},
		"ab":          {Name: "ab", Bin: "/usr/bin/ab", run: runAB, ClosedOnly: true},
		"hey":         {Name: "hey", Bin: filepath.Join(c.Bin, "hey"), run: runHey},
		"vegeta":      {Name: "vegeta", Bin: filepath.Join(c.Bin, "vegeta"), run: runVegeta},
		"k6":          {Name: "k6", Bin: filepath.Join(c.Bin, "k6"), run: runK6, flow: runK6Flow},
		"locust-fast": {Name: "locust-fast", Bin: "/usr/bin/locust", run: runLocust(locustFast), ClosedOnly: true, flow: runLocustFlow(locustFast)},
		"locust-http": {Name: "locust-http", Bin: "/usr/bin/locust", run: runLocust(locustHTTP), ClosedOnly: true, flow: runLocustFlow(locustHTTP)},
		"go-nethttp": {Name: "go-nethttp", Bin: filepath.Join(c.Bin, "gobaseline"), run: runBaseline("nethttp"),
			Reference: true, ClosedOnly: true, Version: "bench/gobaseline -mode nethttp"},
		"go-lean": {Name: "go-lean", Bin: filepath.Join(c.Bin, "gobaseline"), run: runBaseline("lean"),
			Reference: true, ClosedOnly: true, Version: "bench/gobaseline -mode lean"},
		"go-linked": {Name: "go-linked", Bin: filepath.Join(c.Bin, "startfloor"), run: flowOnly("go-linked is scenario t's floor only"),
			Reference: true, Version: "bench/startfloor"},
		"go-open": {Name: "go-open", Bin: filepath.Join(c.Bin, "gobaseline"), run: runBaselineOpen,
			Reference: true, Version: "bench/gobaseline -mode open"},
		"go-arrivals": {Name: "go-arrivals", Bin: filepath.Join(c.Bin, "gobaseline"), run: flowOnly("go-arrivals is scenario n's floor only"),
			flow: runBaselineArrivals, Reference: true, Version: "bench/gobaseline -mode arrivals"},
	}
	for name, t := range all {
		if p, ok := peers[peerName(name)]; ok {
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
		all["surge-quick"].Version = all["surge"].Version
		all["surge-default"].Version = all["surge"].Version
	}
	return all
}

func jobTimeout(d time.Duration) time.Duration { return 2*d + 90*time.Second }

// baseRun fills the metrics every generator has.
func baseRun(p *Proc) Run {
	return Run{"cpu_s": p.CPU.Seconds(), "sys_s": p.SysCPU.Seconds(), "rss_mb": float64(p.MaxRSSKB) / 1024, "wall_s": p.Wall.Seconds()}
}

// peerName is the name install-peers.sh records a tool's version under:
// Locust's two user classes are one Debian package.
func peerName(tool string) string {
	if strings.HasPrefix(tool, "locust-") {
		return "locust"
	}
	return tool
}
