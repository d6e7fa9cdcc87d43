package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Bench holds the state of one benchmark run.
type Bench struct {
	c     *Config
	tools map[string]*Tool
	order []string // tools in the order they are reported

	A        []*Row
	B        map[float64][]*Row
	CUnbound []*Row
	CBound   []*Row
	D        []*Row
	E        []*Row
	ESeries  []ESeries
	Profiles []*ProfileResult
	S        []*Row // scripted flow, looping users
	N        []*Row // scripted flow, a new VU per arrival
	T        *Startup
	Notes    []string
}

// ESeries is the RSS over time of one long run.
type ESeries struct {
	Tool    string
	Samples []RSSSample
	Counts  []Point // cumulative requests over time
}

// Point is a cumulative request count at a moment.
type Point struct {
	At    time.Time
	Total int64
}

func (b *Bench) logf(format string, args ...any) { log.Printf(format, args...) }

// each runs fn for every run index and every available tool, runs
// interleaved so that a slow spell of the shared machine hits every tool.
func (b *Bench) each(scenario string, names []string, fn func(t *Tool, run int, logBase string) (Run, error)) []*Row {
	return b.eachConns(scenario, names, 1000, fn)
}

// eachConns is each for runs that open up to conns connections: before
// each run it waits until enough ephemeral ports are free for them.
func (b *Bench) eachConns(scenario string, names []string, conns int, fn func(t *Tool, run int, logBase string) (Run, error)) []*Row {
	rows := map[string]*Row{}
	var order []*Row
	for _, n := range names {
		t := b.tools[n]
		r := &Row{Tool: n}
		if t.Missing != "" {
			r.Skip = "not installed (" + t.Missing + ")"
		}
		rows[n] = r
		order = append(order, r)
	}
	dir := filepath.Join(b.c.Work, scenario)
	_ = os.MkdirAll(dir, 0o755)
	for i := 1; i <= b.c.runsFor(scenario); i++ {
		for _, n := range names {
			r := rows[n]
			if r.Skip != "" {
				continue
			}
			b.drainTimeWait(conns)
			base := filepath.Join(dir, fmt.Sprintf("%s-%d", n, i))
			b.logf("%s: %s run %d", scenario, n, i)
			m, err := fn(b.tools[n], i, base)
			var unsup ErrUnsupported
			switch {
			case errors.As(err, &unsup):
				r.Skip = string(unsup)
			case err != nil:
				b.logf("%s: %s run %d failed: %v", scenario, n, i, err)
				r.Errs = append(r.Errs, fmt.Sprintf("run %d: %v", i, err))
			default:
				r.Runs = append(r.Runs, m)
			}
		}
	}
	return order
}

// peers is the tool order without the bench's own reference baselines.
func (b *Bench) peers() []string {
	var out []string
	for _, n := range b.order {
		if !b.tools[n].Reference {
			out = append(out, n)
		}
	}
	return out
}

// drainTimeWait waits (up to 70 s) until the sockets in TIME-WAIT leave
// enough of the 28,000 ephemeral ports for a run that opens conns
// connections: a run that opened thousands must not leave the next one
// without ports (Vegeta binds before it connects and then fails with
// "address already in use").
func (b *Bench) drainTimeWait(conns int) {
	deadline := time.Now().Add(70 * time.Second)
	waited := false
	limit := max(24000-conns, 2000)
	for time.Now().Before(deadline) {
		tw := timeWait()
		if tw < limit {
			break
		}
		if !waited {
			b.logf("waiting for %d TIME-WAIT sockets to expire", tw)
			waited = true
		}
		time.Sleep(time.Second)
	}
}

// timeWait reads the TIME-WAIT socket count from /proc/net/sockstat.
func timeWait() int {
	bs, err := os.ReadFile("/proc/net/sockstat")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(bs), "\n") {
		if !strings.HasPrefix(line, "TCP:") {
			continue
		}
		f := strings.Fields(line)
		for i := 0; i+1 < len(f); i++ {
			if f[i] == "tw" {
				n, _ := strconv.Atoi(f[i+1])
				return n
			}
		}
	}
	return 0
}

func (c *Config) runsFor(scenario string) int {
	if scenario == "e" {
		return c.ERuns
	}
	if scenario == "p" {
		return 1
	}
	return c.Runs
}

// ---- a: throughput ----

func (b *Bench) scenarioA(ngx *Server) {
	url := "http://" + ngx.Addr + "/"
	b.A = b.each("a", b.order, func(t *Tool, _ int, base string) (Run, error) {
		m, _, err := t.run(b.c, t, Load{URL: url, Users: b.c.AConns, Duration: b.c.ADuration, Log: base})
		if err != nil {
			return nil, err
		}
		if m["cpu_s"] > 0 {
			m["rps_cpu"] = m["requests"] / m["cpu_s"]
		}
		return m, nil
	})
}

// ---- b: rate precision ----

type countStats struct {
	Count    int     `json:"count"`
	Rate     float64 `json:"rate"`
	LagP50Ms float64 `json:"lag_p50_ms"`
	LagP99Ms float64 `json:"lag_p99_ms"`
	LagMaxMs float64 `json:"lag_max_ms"`
}

func (b *Bench) scenarioB() {
	b.B = map[float64][]*Row{}
	names := append(b.withSurgeDefault(b.peers()), b.knownTools("b", b.c.BFloors)...)
	for _, rate := range b.c.BRates {
		conns := b.c.BConns
		if conns == 0 {
			conns = 20000
		}
		b.B[rate] = b.eachConns("b-"+ftoa(rate), names, conns, func(t *Tool, _ int, base string) (Run, error) {
			return b.rateRun(t, rate, base)
		})
	}
}

// knownTools is names less those the bench does not know, each noted.
func (b *Bench) knownTools(scenario string, names []string) []string {
	var out []string
	for _, n := range names {
		if _, ok := b.tools[n]; ok {
			out = append(out, n)
		} else {
			b.Notes = append(b.Notes, fmt.Sprintf("%s: unknown tool %q ignored", scenario, n))
		}
	}
	return out
}

// withSurgeDefault adds surge-default (Surge with its default pool, no
// --connections) after surge when b bounds the connections: issue 16
// holds both forms to the rate.
func (b *Bench) withSurgeDefault(names []string) []string {
	if b.c.BConns == 0 {
		return names
	}
	var out []string
	for _, n := range names {
		out = append(out, n)
		if n == "surge" {
			out = append(out, "surge-default")
		}
	}
	return out
}

// rateRun is one run of scenario b: t sends at rate to a fresh countsrv,
// which then reports what it received.
func (b *Bench) rateRun(t *Tool, rate float64, base string) (Run, error) {
	if t.ClosedOnly {
		return nil, ErrUnsupported(t.Name + " has no rate control (open model)")
	}
	srv, ctl, err := b.startCountsrv(base)
	if err != nil {
		return nil, err
	}
	defer srv.Stop()
	m, _, err := t.run(b.c, t, Load{URL: "http://" + srv.Addr + "/", Rate: rate, Conns: b.c.BConns, Duration: b.c.BDuration,
		Lag: true, K6Pre: 200, K6Max: 2000, HeyWorkers: 64, Log: base})
	if err != nil {
		return nil, err
	}
	js, err := httpGet(context.Background(), "http://"+ctl+"/stats?rate="+ftoa(rate))
	if err != nil {
		return nil, err
	}
	var s countStats
	if err := json.Unmarshal(js, &s); err != nil {
		return nil, err
	}
	b.putCountStats(m, s, rate)
	return m, nil
}

// startCountsrv starts countsrv on a free address, with its control
// (statistics) endpoint on another, which it returns with the server.
func (b *Bench) startCountsrv(base string) (*Server, string, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, "", err
	}
	ctl, err := freeAddr()
	if err != nil {
		return nil, "", err
	}
	srv, err := startServer(b.c.SrvCPU, base+".server.log", addr, filepath.Join(b.c.Bin, "countsrv"),
		"-addr", addr, "-ctl", ctl)
	if err != nil {
		return nil, "", err
	}
	return srv, ctl, nil
}

// putCountStats stores what the server saw against the target rate.
func (b *Bench) putCountStats(m Run, s countStats, rate float64) {
	expected := rate * b.c.BDuration.Seconds()
	m["srv_count"] = float64(s.Count)
	m["count_err"] = (float64(s.Count)/expected - 1) * 100
	m["srv_rate"] = s.Rate
	m["rate_err"] = (s.Rate/rate - 1) * 100
	m["abs_rate_err"] = abs(m["rate_err"])
	m["lag_p50"], m["lag_p99"], m["lag_max"] = s.LagP50Ms, s.LagP99Ms, s.LagMaxMs
	m["cpu_frac"] = m["cpu_s"] / b.c.BDuration.Seconds()
	m["late_s"] = m["wall_s"] - b.c.BDuration.Seconds()
}

// ---- c: honest latency ----

// Truth is the analytic latency distribution against the stalling server:
// a fraction S/P of arrivals lands in a stall and waits uniformly in
// (0, S]; the rest is served at once.
func (c *Config) truth(q float64) float64 {
	f := c.CStallFor.Seconds() / c.CStallEvery.Seconds()
	tail := 1 - q
	if tail >= f {
		return 0
	}
	return c.CStallFor.Seconds() * 1000 * (1 - tail/f)
}

func (b *Bench) scenarioC() {
	names := b.peers()
	runMode := func(conns int) []*Row {
		tag := "c-unbounded"
		if conns > 0 {
			tag = "c-" + strconv.Itoa(conns)
		}
		return b.each(tag, names, func(t *Tool, _ int, base string) (Run, error) {
			return b.stallRun(t, conns, base)
		})
	}
	b.CUnbound = runMode(0)
	b.CBound = runMode(b.c.CConns)
}

// stallRun is one run of scenario c: t sends at the fixed rate, over at
// most conns connections (0: unbounded), to a target that stalls.
func (b *Bench) stallRun(t *Tool, conns int, base string) (Run, error) {
	if t.ClosedOnly {
		return nil, ErrUnsupported(t.Name + " has no rate control (open model)")
	}
	if t.Name == "hey" && conns == 0 {
		return nil, ErrUnsupported("hey has no open model with unbounded connections (-c workers × -q)")
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	srv, err := startServer(b.c.SrvCPU, base+".server.log", addr, b.c.Surge, "target", "--addr", addr,
		"--stall-every", b.c.CStallEvery.String(), "--stall-for", b.c.CStallFor.String())
	if err != nil {
		return nil, err
	}
	defer srv.Stop()
	// Enough k6 VUs to hold every arrival of a whole stall.
	vus := int(b.c.CRate*(b.c.CStallFor.Seconds()+0.2)) + 100
	m, _, err := t.run(b.c, t, Load{URL: "http://" + addr + "/status/200", Rate: b.c.CRate, Conns: conns,
		Duration: b.c.CDuration, Latency: true, K6Pre: vus, K6Max: vus, Log: base})
	if err != nil {
		return nil, err
	}
	b.putTruthErrors(m)
	return m, nil
}

// putTruthErrors stores how far p99 and p99.9 are from the truth, in %.
func (b *Bench) putTruthErrors(m Run) {
	for _, k := range []struct {
		key string
		q   float64
	}{{"p99", .99}, {"p999", .999}} {
		tr := b.c.truth(k.q)
		m[k.key+"_err"] = (m[k.key]/tr - 1) * 100
		m[k.key+"_abserr"] = abs(m[k.key+"_err"])
	}
}

// ---- d: many users ----

func (b *Bench) scenarioD() {
	b.D = b.eachConns("d", b.order, b.c.DVUs, func(t *Tool, _ int, base string) (Run, error) {
		vus := b.c.DVUs
		if t.Name == "k6" {
			vus = min(vus, b.c.DK6VUs)
		}
		m, err := b.holdUsers(t, vus, base)
		if err != nil {
			return nil, err
		}
		// A tenth of the users again: the rise of peak RSS between the two
		// runs, over the users added, is what one more user costs without
		// the tool's fixed base.
		few := max(vus/10, 1)
		b.drainTimeWait(vus)
		if mf, err := b.holdUsers(t, few, base+"-tenth"); err == nil && vus > few {
			m["rss_mb_tenth"] = mf["rss_mb"]
			m["kb_per_added_vu"] = (m["rss_mb"] - mf["rss_mb"]) * 1024 / float64(vus-few)
		}
		return m, nil
	})
}

// holdUsers runs t with vus users against a target that answers after
// BENCH_D_LATENCY, and reads how many the target held at once.
func (b *Bench) holdUsers(t *Tool, vus int, base string) (Run, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	srv, err := startServer(b.c.SrvCPU, base+".server.log", addr, b.c.Surge, "target", "--addr", addr,
		"--latency", b.c.DLatency.String())
	if err != nil {
		return nil, err
	}
	defer srv.Stop()
	ctx, cancel := context.WithCancel(context.Background())
	held := pollInFlight(ctx, "http://"+addr+"/_surge/status")
	m, _, err := t.run(b.c, t, Load{URL: "http://" + addr + "/status/200", Users: vus, Duration: b.c.DDuration,
		Timeout: 30 * time.Second, Log: base})
	cancel()
	peak := <-held
	if err != nil {
		return nil, err
	}
	m["vus"] = float64(vus)
	m["held"] = float64(peak)
	m["held_frac"] = float64(peak) / float64(vus) * 100
	m["kb_per_vu"] = m["rss_mb"] * 1024 / float64(vus)
	return m, nil
}

// pollInFlight reads the target's in-flight count every 200 ms and
// delivers the highest seen when ctx ends.
func pollInFlight(ctx context.Context, url string) <-chan int64 {
	out := make(chan int64, 1)
	go func() {
		var peak int64
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				out <- peak
				return
			case <-t.C:
			}
			js, err := httpGet(ctx, url)
			if err != nil {
				continue
			}
			var st struct {
				InFlight int64 `json:"in_flight"`
			}
			if json.Unmarshal(js, &st) == nil {
				// The status request itself is not counted in flight.
				peak = max(peak, st.InFlight)
			}
		}
	}()
	return out
}
