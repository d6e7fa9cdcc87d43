package main

import (
	"fmt"
	"strings"
)

// The sections of issue 16's scenarios (s, n, t) and its goal table.

func (b *Bench) sectionS(w *strings.Builder) {
	c := b.c
	fmt.Fprintf(w, "\n## s. Scripted flow: %d looping users on %d keep-alive connections, %v per run\n\n", c.SUsers, c.SUsers, c.SDuration)
	fmt.Fprintf(w, "The flow of issue 16, written for each tool (bench/runner/flow.go; the scripts of every run are kept beside its output in bench/out/s/): GET `%s` (a JSON file nginx serves), capture its `id` from the JSON body, then GET `/api/items/{{ id }}.json` with the header `X-Item: item-{{ id }}`. Generator on CPU %s, nginx on CPU %s. "+
		"Surge runs the Artillery-style YAML with `surge run --users %d --duration %v` (each user loops the flow on its own connection); k6 runs the same flow in JavaScript with %d VUs; Locust with %d users and `wait_time = constant(0)`; Artillery has no time-bounded loop of users, so it starts %d VUs in the first second, each looping the flow %d times on its own connection (BENCH_S_ARTILLERY_RATE sizes the count). "+
		"**surge-quick** is the reference: `surge quick` on the first URL with the same users, one plain GET per iteration. *CPU µs per request* is the generator's user+system time over all its requests, start-up included; *core %%* is that time over the wall time. The ratio is Surge/peer of requests per CPU-second (above 1 means Surge does more with a core).\n\n",
		flowFirst, c.GenCPU, c.SrvCPU, c.SUsers, c.SDuration, c.SUsers, c.SUsers, c.SUsers, artilleryLoops(c.SDuration, c.SUsers, c.SArtilleryRate))
	b.table(w, b.S, []Col{
		{Key: "rps", Title: "req/s", Range: true},
		{Key: "us_req", Title: "CPU µs per request", Prec: 1, Range: true},
		{Key: "rps_cpu", Title: "req per CPU-s"},
		{Key: "core_pct", Title: "core %", Prec: 0},
		{Key: "sys_pct", Title: "kernel % of CPU", Prec: 0},
		{Key: "requests", Title: "requests"},
		{Key: "p99", Title: "p99 ms", Prec: 1},
		{Key: "rss_mb", Title: "peak RSS MB", Prec: 1},
		{Key: "errors", Title: "errors"},
	}, "rps_cpu", "Surge/peer req per CPU-s")
}

func (b *Bench) sectionN(w *strings.Builder) {
	c := b.c
	fmt.Fprintf(w, "\n## n. Scripted flow, a new VU with a new connection per arrival: %s arrivals/s for %v\n\n", num(c.NRate, 0), c.NDuration)
	fmt.Fprintf(w, "Artillery's default model: every arrival is a new virtual user that dials its own connection, runs the two-request flow of s and ends. Surge and Artillery run the very same YAML file (phases `arrivalRate: %s`); k6 runs its constant-arrival-rate executor with `noVUConnectionReuse` (a new connection per iteration, but a reused VU: k6 has no new VU per arrival); Locust has no arrivals (its users loop) and sits this out. "+
		"The rate is modest, so a run costs mostly its start-up: each tool also runs %v at the same rate first, and the *marginal* figures are the long run less the short one (arrivals and CPU time), i.e. the cost of an arrival without the start-up and teardown; *start-up CPU s* is the short run's CPU beyond its arrivals at that marginal cost. The kernel's share is system time over user+system time of those marginal arrivals: dialling, accepting and closing connections are kernel work that no generator avoids. The ratio is Surge/peer of the marginal arrivals per CPU-second. **go-arrivals** is not a peer but the floor of any Go program (bench/gobaseline -mode arrivals: a goroutine per arrival, a new connection, the two GETs with only the status line and Content-Length read, close): what is left is the kernel's and the Go runtime's.\n\n",
		ftoa(c.NRate), c.NBaseDuration)
	b.table(w, b.N, []Col{
		{Key: "flows", Title: "arrivals done"},
		{Key: "arr_rate", Title: "arrivals/s (wall)", Prec: 0},
		{Key: "arr_cpu_marg", Title: "arrivals per CPU-s (marginal)", Range: true},
		{Key: "us_arr_marg", Title: "CPU µs per arrival (marginal)", Prec: 0},
		{Key: "sys_pct_marg", Title: "kernel % (marginal)", Prec: 0},
		{Key: "arr_cpu", Title: "arrivals per CPU-s (whole run)"},
		{Key: "startup_cpu_s", Title: "start-up CPU s", Prec: 2},
		{Key: "p99", Title: "p99 ms", Prec: 1},
		{Key: "rss_mb", Title: "peak RSS MB", Prec: 1},
		{Key: "errors", Title: "errors"},
	}, "arr_cpu_marg", "Surge/peer arrivals per CPU-s")
}
