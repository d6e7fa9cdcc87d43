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
	"sync"
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

// ---- e: long run ----

func (b *Bench) scenarioE(ngx *Server) {
	url := "http://" + ngx.Addr + "/"
	dur := b.eDuration()
	var mu sync.Mutex
	b.E = b.each("e", b.c.ETools, func(t *Tool, run int, base string) (Run, error) {
		m, series, err := b.longRun(t, url, dur, base)
		if err != nil {
			return nil, err
		}
		// Only the first run's series is drawn in the report.
		mu.Lock()
		if run == 1 {
			b.ESeries = append(b.ESeries, series)
		}
		mu.Unlock()
		return m, nil
	})
}

// eDuration sizes a closed loop to pass the requested count: Surge has no
// request-count flag, so the duration is the count over the rate
// measured in scenario a, with a margin for a slower spell.
func (b *Bench) eDuration() time.Duration {
	rate := b.c.ERateHint
	for _, r := range b.A {
		if r.Tool == "surge" {
			if s, ok := r.Get("rps"); ok && s.Med > 0 {
				rate = s.Med
			}
		}
	}
	return time.Duration(float64(b.c.ERequests)/(0.85*rate)*float64(time.Second)).Round(time.Second) + time.Second
}

// longRun is one run of scenario e: the metrics, with the RSS growth, and
// the series of RSS and request counts over time.
func (b *Bench) longRun(t *Tool, url string, dur time.Duration, base string) (Run, ESeries, error) {
	m, p, err := t.run(b.c, t, Load{URL: url, Users: b.c.AConns, Duration: dur, Sample: time.Second, Log: base})
	if err != nil {
		return nil, ESeries{}, err
	}
	series := ESeries{Tool: t.Name, Samples: p.RSS}
	if t.Name == "surge" {
		series.Counts = surgeCounts(base)
		if secs, err := b.timeReport(base); err == nil {
			m["report_s"] = secs
		} else {
			b.Notes = append(b.Notes, "e: "+err.Error())
		}
	} else {
		series.Counts = evenCounts(p, m["requests"])
	}
	flatness(m, series, b.c.ERequests)
	return m, series, nil
}

// surgeCounts is the cumulative request count at the end of each interval
// of Surge's results file (none when it cannot be read).
func surgeCounts(base string) []Point {
	res, err := readSurge(base + ".json")
	if err != nil {
		return nil
	}
	var counts []Point
	var total int64
	for _, iv := range res.Intervals {
		total += iv.Requests
		counts = append(counts, Point{At: iv.Start.Add(time.Second), Total: total})
	}
	return counts
}

// evenCounts stands in for progress that peers do not report: it assumes
// an even rate over the run, at each RSS sample.
func evenCounts(p *Proc, n float64) []Point {
	var counts []Point
	for _, s := range p.RSS {
		frac := s.At.Sub(p.Start).Seconds() / p.Wall.Seconds()
		counts = append(counts, Point{At: s.At, Total: int64(frac * n)})
	}
	return counts
}

// flatness measures RSS growth from the moment one tenth of the requested
// count was done (1 million of 10 million) to the end of the run.
func flatness(m Run, s ESeries, requested int64) {
	mark := requested / 10
	var at time.Time
	for _, p := range s.Counts {
		if p.Total >= mark {
			at = p.At
			break
		}
	}
	if at.IsZero() || len(s.Samples) == 0 {
		return
	}
	var base, peak, last int64
	var after []RSSSample
	for _, smp := range s.Samples {
		if smp.At.Before(at) {
			base = smp.RSSKB
			continue
		}
		if base == 0 {
			base = smp.RSSKB
		}
		peak = max(peak, smp.RSSKB)
		last = smp.RSSKB
		after = append(after, smp)
	}
	if base == 0 {
		return
	}
	if g, ok := trendGrowth(after); ok {
		m["rss_trend"] = g
	}
	m["rss_at_mark_mb"] = float64(base) / 1024
	m["rss_peak_after_mb"] = float64(peak) / 1024
	m["rss_last_mb"] = float64(last) / 1024
	m["rss_growth"] = (float64(peak)/float64(base) - 1) * 100
}

// trendGrowth fits a least-squares line through the RSS samples and
// returns its rise from the first sample to the last as a percentage of
// the mean. Unlike the highest sample over the one at the mark, it does
// not read the garbage collector's sawtooth (a few MB up and down each
// cycle) as growth; a leak of any size shows as a steady rise.
func trendGrowth(samples []RSSSample) (float64, bool) {
	if len(samples) < 3 {
		return 0, false
	}
	t0 := samples[0].At
	var n, sx, sy, sxx, sxy float64
	for _, smp := range samples {
		x, y := smp.At.Sub(t0).Seconds(), float64(smp.RSSKB)
		n++
		sx, sy, sxx, sxy = sx+x, sy+y, sxx+x*x, sxy+x*y
	}
	den := n*sxx - sx*sx
	if den == 0 || sy == 0 {
		return 0, false
	}
	slope := (n*sxy - sx*sy) / den
	span := samples[len(samples)-1].At.Sub(t0).Seconds()
	return slope * span / (sy / n) * 100, true
}

// timeReport times `surge report` on the results file if this build of
// Surge has that command.
func (b *Bench) timeReport(base string) (float64, error) {
	help, err := output(b.c.Surge, "report", "--help")
	if err != nil || !strings.Contains(help, "report") || strings.Contains(help, "unknown command") {
		return 0, errors.New("no `surge report` command in this build: report time not measured")
	}
	start := time.Now()
	out, err := output(b.c.Surge, "report", base+".json", "--output", base+".html")
	if err != nil {
		return 0, fmt.Errorf("surge report failed: %v %s", err, lastLine(out))
	}
	return time.Since(start).Seconds(), nil
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}
