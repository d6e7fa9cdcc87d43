package main

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// The goals of issue 16, judged from this run's medians.

// goals16 writes issue 16's goal table; a goal whose scenario did not run
// (or whose figures are missing) says so instead of a verdict.
func (b *Bench) goals16(w *strings.Builder) {
	var gs []goal
	gs = append(gs, b.goals16S()...)
	gs = append(gs, b.goals16N()...)
	gs = append(gs, b.goals16T()...)
	gs = append(gs, b.goals16B()...)
	gs = append(gs, b.goals16D()...)
	gs = append(gs, b.goals16A()...)
	w.WriteString("\n## Goals of issue 16 (Surge's medians)\n\n")
	w.WriteString("Ratios from this run, on this machine; the goals of the previous round (coordinated-omission accuracy in c, flat memory in e) are in the table of issue 6 above.\n\n| goal | target | Surge | |\n|---|---|---|---|\n")
	for _, g := range gs {
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", g.name, g.target, g.surge, g.met)
	}
}

// notMeasured is a goal whose figures this run does not have.
func notMeasured(name, target, why string) goal {
	return goal{name, target, why, "not measured"}
}

// goals16S: the scripted flow on pooled connections against k6 per core,
// and against Surge's own one-liner per request.
func (b *Bench) goals16S() []goal {
	nameK6, tK6 := "s: scripted flow, requests per generator core vs k6", "≥ 5×"
	nameQ, tQ := "s: scripted flow, CPU per request vs `surge quick`", "≤ 1.5×"
	s, ok := medianOf(b.S, "surge", "rps_cpu")
	if !ok {
		return []goal{notMeasured(nameK6, tK6, "scenario s did not run for Surge"), notMeasured(nameQ, tQ, "scenario s did not run for Surge")}
	}
	var gs []goal
	if k, ok := medianOf(b.S, "k6", "rps_cpu"); ok && k > 0 {
		gs = append(gs, goal{nameK6, tK6, fmt.Sprintf("%.2f× (%s vs %s req per CPU-s)", s/k, num(s, 0), num(k, 0)), metText(s/k >= 5)})
	} else {
		gs = append(gs, notMeasured(nameK6, tK6, "k6 did not run"))
	}
	us, _ := medianOf(b.S, "surge", "us_req")
	if q, ok := medianOf(b.S, "surge-quick", "us_req"); ok && q > 0 {
		gs = append(gs, goal{nameQ, tQ, fmt.Sprintf("%.2f× (%s vs %s µs)", us/q, num(us, 1), num(q, 1)), metText(us/q <= 1.5)})
	} else {
		gs = append(gs, notMeasured(nameQ, tQ, "surge-quick did not run"))
	}
	return gs
}

// goals16N: a new VU per arrival against Artillery per core, with the
// kernel's share stated.
func (b *Bench) goals16N() []goal {
	name, target := "n: new VU per arrival, arrivals per generator core vs Artillery (marginal)", "≥ 30×, kernel share stated"
	s, ok := medianOf(b.N, "surge", "arr_cpu_marg")
	if !ok {
		return []goal{notMeasured(name, target, "scenario n did not run for Surge")}
	}
	ks, _ := medianOf(b.N, "surge", "sys_pct_marg")
	a, ok := medianOf(b.N, "artillery", "arr_cpu_marg")
	if !ok || a <= 0 {
		return []goal{notMeasured(name, target, fmt.Sprintf("Artillery did not run; Surge %s arrivals per CPU-s, kernel %.0f %%", num(s, 0), ks))}
	}
	ka, _ := medianOf(b.N, "artillery", "sys_pct_marg")
	got := fmt.Sprintf("%.1f× (%s vs %s arrivals per CPU-s); kernel %.0f %% of Surge's CPU, %.0f %% of Artillery's",
		s/a, num(s, 0), num(a, 0), ks, ka)
	if f, ok := medianOf(b.N, "go-arrivals", "arr_cpu_marg"); ok {
		got += fmt.Sprintf("; the Go floor (go-arrivals) %.1f×", f/a)
	}
	return []goal{{name, target, got, metText(s/a >= 30)}}
}

// goals16T: start-up to the first request no slower than hey, timed to
// the request's arrival (hyperfine's exec to exit beside it).
func (b *Bench) goals16T() []goal {
	name, target := "t: start-up to the first request vs hey (median, exec to request line)", "≤ 1.00×"
	s, ok1 := b.T.row("surge")
	h, ok2 := b.T.row("hey")
	if !ok1 || !ok2 || h.FirstMd <= 0 || h.Mean <= 0 {
		return []goal{notMeasured(name, target, "scenario t did not run for Surge and hey")}
	}
	got := fmt.Sprintf("%.2f× (%s vs %s ms); exec to exit %.2f× (%s ± %s vs %s ± %s ms)",
		s.FirstMd/h.FirstMd, num(s.FirstMd, 1), num(h.FirstMd, 1), s.Mean/h.Mean, num(s.Mean, 1), num(s.SD, 1),
		num(h.Mean, 1), num(h.SD, 1))
	if f, ok := b.T.row("go-linked"); ok && f.FirstMd > 0 {
		got += fmt.Sprintf("; the floor of a binary linking what Surge links (go-linked) %.2f×", f.FirstMd/h.FirstMd)
	}
	return []goal{{name, target, got, metText(s.FirstMd <= h.FirstMd)}}
}

// goals16B: at 50,000 req/s and above, with Surge's default pool and with
// the bounded one: the rate within 1 %, on time, and a small lag.
func (b *Bench) goals16B() []goal {
	var rates []float64
	for r := range b.B {
		if r >= 50000 {
			rates = append(rates, r)
		}
	}
	sort.Float64s(rates)
	if len(rates) == 0 {
		return []goal{notMeasured("b: 50,000 req/s on one core", "within 1 %, on time, lag p99 < 2 ms", "scenario b did not run at 50,000 req/s or more")}
	}
	var gs []goal
	for _, rate := range rates {
		for _, v := range []struct{ tool, form string }{{"surge-default", "default flags"}, {"surge", fmt.Sprintf("--connections %d", b.c.BConns)}} {
			gs = append(gs, b.goal16Rate(rate, v.tool, v.form)...)
		}
	}
	return gs
}

// goal16Rate is one form of Surge at one rate of scenario b.
func (b *Bench) goal16Rate(rate float64, tool, form string) []goal {
	rows := b.B[rate]
	prefix := fmt.Sprintf("b: %s req/s, %s: ", num(rate, 0), form)
	e, ok := medianOf(rows, tool, "rate_err")
	if !ok {
		return []goal{notMeasured(prefix+"rate, time, lag", "within 1 %, on time, lag p99 < 2 ms", tool+" did not run")}
	}
	d := b.c.BDuration.Seconds()
	late, _ := medianOf(rows, tool, "late_s")
	wall, _ := medianOf(rows, tool, "wall_s")
	lag, _ := medianOf(rows, tool, "lag_p99")
	lagDetail := num(lag, 2) + " ms (server side)"
	if own, ok := medianOf(rows, tool, "glag_p99"); ok {
		lagDetail += fmt.Sprintf("; Surge's own send lag p99 (worst second) %s ms", num(own, 2))
	}
	if floor, ok := medianOf(rows, "go-open", "lag_p99"); ok {
		cpu, _ := medianOf(rows, "go-open", "cpu_frac")
		lagDetail += fmt.Sprintf("; floor go-open %s ms at %s of a core", num(floor, 2), num(cpu, 2))
	}
	slack := math.Max(0.05*d, 0.5)
	return []goal{
		{prefix + "achieved rate", "within 1 %", fmt.Sprintf("%+.2f %%", e), metText(math.Abs(e) <= 1)},
		{prefix + fmt.Sprintf("on time (a %v test)", b.c.BDuration), fmt.Sprintf("ends within %s s of its length", num(slack, 1)),
			fmt.Sprintf("%s s wall (%+.2f s)", num(wall, 2), late), metText(late <= slack)},
		{prefix + "scheduling lag p99", "< 2 ms", lagDetail, metText(lag < 2)},
	}
}

// goals16D: the memory an idle VU holds, beside wrk's.
func (b *Bench) goals16D() []goal {
	name, target := "d: RSS per idle VU", "≤ 8 KB"
	kb, ok := medianOf(b.D, "surge", "kb_per_vu")
	if !ok {
		return []goal{notMeasured(name, target, "scenario d did not run for Surge")}
	}
	detail := num(kb, 1) + " KB (peak RSS / VUs)"
	if wk, ok := medianOf(b.D, "wrk", "kb_per_vu"); ok {
		detail += "; wrk " + num(wk, 1) + " KB"
	}
	// Judged on peak RSS over the users, as the goal was set; the cost of
	// one more user, without the fixed base, is given beside it.
	if added, ok := medianOf(b.D, "surge", "kb_per_added_vu"); ok {
		detail += "; per added VU " + num(added, 1) + " KB"
		if wk, ok := medianOf(b.D, "wrk", "kb_per_added_vu"); ok {
			detail += " (wrk " + num(wk, 1) + " KB)"
		}
	}
	return []goal{{name, target, detail, metText(kb <= 8)}}
}

// goals16A: no regression of the throughput goal of issue 6.
func (b *Bench) goals16A() []goal {
	name, target := "a: throughput per core vs wrk (no regression)", "≥ 1.00×"
	s, ok1 := medianOf(b.A, "surge", "rps")
	wk, ok2 := medianOf(b.A, "wrk", "rps")
	if !ok1 || !ok2 || wk <= 0 {
		return []goal{notMeasured(name, target, "scenario a did not run for Surge and wrk")}
	}
	return []goal{{name, target, fmt.Sprintf("%.2f× (%s vs %s req/s)", s/wk, num(s, 0), num(wk, 0)), metText(s >= wk)}}
}
