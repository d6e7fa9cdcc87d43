package cli

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/surge-dev/surge/capacity"
	"github.com/surge-dev/surge/capacity/prober"
	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/flow"
	"github.com/surge-dev/surge/internal/decimal"
	"github.com/surge-dev/surge/results"
	"github.com/surge-dev/surge/scenario"
	"github.com/surge-dev/surge/session"
	"github.com/surge-dev/surge/transport"
)

type capacityOptions struct {
	slo                string
	search             searchFlag
	probe, warmup      time.Duration
	cooldown           time.Duration
	start, max, growth float64
	precision          percentFlag
	headroom           percentFlag
	confidence         percentFlag
	output, report     string
	target             string
	method             string
	headers            []string
	insecure           bool
	quiet              bool
	seed               uint64
	// the generator's limits, and (hidden, for tests) CPU spent per
	// request so that a test can cap what the generator can drive
	maxCPU    percentFlag
	maxLag    time.Duration
	spinEvery time.Duration
}

const capacityLong = `Find the highest load the target sustains under an SLO, automatically.

Each probe runs one load (an arrival rate; with --users, a number of looping
users) for --warmup, which is not judged, then --probe, which is; the target
then idles for --cooldown. The load doubles from --start until a probe fails,
then the search bisects between the highest load that passed and the lowest
that failed until they are within --precision, and confirms the answer with a
probe of its own.

A probe passes only if every objective of --slo holds with confidence (its
one-sided 95 % bound, from a block bootstrap over the probe's seconds, inside
the limit), at least 98 % of the offered rate completed, and latency did not
trend upward inside the probe (Mann-Kendall, tested on 6 seconds or more). A
probe whose interval straddles a limit is UNSURE and is extended (up to
twice), never trusted. The SLO is a comma-separated list in k6's syntax:
'p99<300ms, failure_rate<0.5%', 'p(95)<250, rate<0.01'. ok_ before a latency
statistic ('ok_p99<300ms', k6's 'http_req_duration{expected_response:true}:
p(95)<250') judges the latency of the requests that did not fail, which fast
failures (an instant 503 or 429) cannot pull down; a probe in which none
succeeded fails it, and when every latency objective is one of these the
trend is read from their latency too (seconds without a success skipped).
Pair it with failure_rate, or a probe that fails most requests, fast,
passes: without one Surge warns, on stderr, in the summary, in the JSON
(warnings) and in the report.

Surge watches itself while it probes (its CPU, its timers' lateness, how late
requests were sent): when it could not drive a load it had to judge, it stops
with exit code 115 and reports no capacity, never its own limit as the target's.
Every probe is printed as it ends; then the maximum sustainable load with its
bracket, a recommended operating point (--headroom of it), what bound first
(latency, failures, 429 throttles, throughput, a growing queue, scaling lag, no
request succeeded), the knee of the latency and throughput curves (Kneedle), the
Universal Scalability Law fitted to throughput against concurrency, and a
Little's-law check at the answer. -o writes every probe as JSON
(surge.capacity/v1); --report an HTML page with throughput and latency against
offered load, the knee and the answer marked. See docs/capacity.md.`

func newCapacityCmd(io IO) *cobra.Command {
	o := capacityOptions{precision: percentFlag{v: 0.05}, headroom: percentFlag{v: 0.8},
		confidence: percentFlag{v: 0.95}, maxCPU: percentFlag{v: 0.9}}
	cmd := &cobra.Command{
		Use:   "capacity SCRIPT|URL --slo OBJECTIVES",
		Short: "Search for the highest load the target sustains under an SLO",
		Long:  capacityLong,
		Example: `  surge capacity http://127.0.0.1:8080/api --slo 'p99<300ms, failure_rate<0.5%'
  surge capacity load.yml --slo 'p(95)<250' --search users --start 4 --max 512
  surge capacity http://127.0.0.1:8080/ --slo 'p99<50ms' --probe 30s --precision 2% -o capacity.json --report capacity.html`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCapacity(cmd, io, args[0], o)
		},
	}
	addCapacityFlags(cmd.Flags(), &o)
	return cmd
}

func addCapacityFlags(f *pflag.FlagSet, o *capacityOptions) {
	f.StringVar(&o.slo, "slo", "", "the objectives every probe must meet, comma-separated: 'p99<300ms, failure_rate<0.5%'; "+
		"ok_p99<300ms for the requests that did not fail (required)")
	f.Var(&o.search, "search", "what to search: rate, the arrival rate (open model), or users, the number of looping users (closed model)")
	addOldUsersFlag(f, &o.search)
	f.DurationVar(&o.probe, "probe", 10*time.Second, "measured length of each probe (whole seconds, at least 2s)")
	f.DurationVar(&o.warmup, "warmup", 2*time.Second, "run before each probe's measured span and not judged (whole seconds)")
	f.DurationVar(&o.cooldown, "cooldown", 2*time.Second, "idle time after each probe, for the target's queues to drain")
	f.Float64Var(&o.start, "start", 0, "first load probed (default 10 req/s, or 1 user)")
	f.Float64Var(&o.max, "max", 0, "highest load probed (0: no limit)")
	f.Float64Var(&o.growth, "growth", 2, "factor the load grows by until a probe fails (above 1)")
	f.Var(&o.precision, "precision", "stop when the failing load is within this of the passing one (5% or 0.05)")
	f.Var(&o.headroom, "headroom", "the recommended operating point, as a share of the answer")
	f.Var(&o.confidence, "confidence", "one-sided confidence of each verdict")
	f.StringVarP(&o.output, "output", "o", "", "write every probe, the answer and the models as JSON to this file (not -: /dev/stdout writes it there)")
	f.StringVar(&o.report, "report", "", "write the HTML report (throughput and latency against load) to this file (not -: /dev/stdout writes it there)")
	urlVarP(f, &o.target, "target", "t", "base URL, overriding a script's config.target")
	f.StringVarP(&o.method, "method", "m", "GET", "HTTP method (with a URL)")
	f.StringArrayVarP(&o.headers, "header", "H", nil, "request header 'Name: value' (with a URL; repeatable)")
	f.BoolVarP(&o.insecure, "insecure", "k", false, "skip TLS certificate verification")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "print only the answer")
	f.Uint64Var(&o.seed, "seed", 0, "seed of the bootstrap (0: random)")
	f.Var(&o.maxCPU, "generator-max-cpu", "Surge is saturated when busier than this share of its cores during a probe")
	f.DurationVar(&o.maxLag, "generator-max-lag", 10*time.Millisecond, "Surge is saturated when its timers, or its sends by its own fault, run this late (p99)")
	f.DurationVar(&o.spinEvery, "test-generator-cost", 0, "CPU to burn before each request (for tests: caps what Surge can drive)")
	_ = f.MarkHidden("test-generator-cost")
	for name, low := range map[string]float64{"start": 0, "growth": 1, "precision": 0, "headroom": 0, "confidence": 0} {
		fl := f.Lookup(name)
		fl.Value = aboveValue{Value: fl.Value, low: low}
	}
}

// aboveValue refuses a value at or below low. capacity.Config reads 0 as
// "the default", so without it --precision 0 or --start 0 would search
// at 5 % or from 10 req/s and say nothing; negative values the search
// itself refuses, but the message is the same here for both.
type aboveValue struct {
	pflag.Value
	low float64
}

func (v aboveValue) Set(s string) error {
	text := strings.TrimSuffix(strings.TrimSpace(s), "%")
	if x, err := decimal.ParseFloat(text); err == nil && !(x > v.low) {
		return fmt.Errorf("must be above %g (leave the flag out for its default)", v.low)
	}
	return v.Value.Set(s)
}

// percentFlag reads 5% or 0.05 as 0.05.
type percentFlag struct{ v float64 }

func (p *percentFlag) String() string { return strconv.FormatFloat(p.v*100, 'f', -1, 64) + "%" }
func (p *percentFlag) Type() string   { return "percent" }
func (p *percentFlag) Set(s string) error {
	text, pct := strings.CutSuffix(strings.TrimSpace(s), "%")
	v, err := decimal.ParseFloat(text)
	if err != nil {
		return fmt.Errorf("%q: expected a share such as 5%% or 0.05", s)
	}
	if pct {
		v /= 100
	}
	p.v = v
	return nil
}

func runCapacity(cmd *cobra.Command, io IO, arg string, o capacityOptions) error {
	c, err := capacityConfig(o)
	if err != nil {
		return err
	}
	po := prober.Options{Search: c, Probe: o.probe, Warmup: o.warmup, Cooldown: o.cooldown,
		Abort: abortOf(cmd.Context()), Version: Version}
	if err := checkCapacityOutputs(o); err != nil {
		return err
	}
	for _, w := range capacity.Warnings(c.SLO) {
		fmt.Fprintf(io.Stderr, "surge: warning: --slo: %s\n", w)
	}
	t, meta, after, err := capacityTest(cmd.Context(), io, arg, o)
	if err != nil {
		return err
	}
	po.Meta = meta
	spin(t, o.spinEvery)
	if !o.quiet {
		prober.WriteProbeHeader(io.Stdout, c)
		n := 0
		po.OnProbe = func(r capacity.Record) { n++; prober.WriteProbe(io.Stdout, n, c, r) }
	}
	res, err := prober.Run(cmd.Context(), t, po)
	if err != nil {
		return capacityError(err)
	}
	if after != nil && !res.Interrupted {
		if err := after(cmd.Context()); err != nil {
			fmt.Fprintf(io.Stderr, "surge: %v\n", err)
		}
	}
	prober.WriteSummary(io.Stdout, res)
	if err := writeCapacityFiles(io, o, res, po); err != nil {
		return err
	}
	return silentExit(capacityExit(res))
}

// capacityConfig checks the flags that need no target.
func capacityConfig(o capacityOptions) (capacity.Config, error) {
	slo, err := capacity.ParseSLO(o.slo)
	if err != nil {
		return capacity.Config{}, usageError("%v", err)
	}
	c := capacity.Config{SLO: slo, Start: o.start, Max: o.max, Growth: o.growth, Precision: o.precision.v,
		Headroom: o.headroom.v, Confidence: o.confidence.v, Seed: o.seed,
		Generator: capacity.GeneratorLimits{MaxCPU: o.maxCPU.v, MaxLagMs: float64(o.maxLag) / float64(time.Millisecond)}}
	if c.Seed == 0 {
		c.Seed = rand.Uint64()
	}
	if o.search.users {
		c.Mode = capacity.Users
	}
	if c.Start == 0 {
		c.Start = 10
		if o.search.users {
			c.Start = 1
		}
	}
	if !(o.maxCPU.v > 0) || !(o.maxLag > 0) {
		return c, usageError("--generator-max-cpu and --generator-max-lag must be above 0")
	}
	if err := c.Validate(); err != nil {
		return c, usageError("%v", err)
	}
	if o.probe < 2*time.Second || o.probe%time.Second != 0 || o.warmup < 0 || o.warmup%time.Second != 0 || o.cooldown < 0 {
		return c, usageError("--probe must be whole seconds, at least 2s; --warmup whole seconds; --cooldown 0 or more")
	}
	return c, nil
}

func checkCapacityOutputs(o capacityOptions) error {
	return checkFiles([]fileOutput{{"--output", o.output}, {"--report", o.report}})
}

// capacityTest builds the probes' test from a URL or a script; after is
// the script's after section (nil for a URL).
func capacityTest(ctx context.Context, io IO, arg string, o capacityOptions) (*engine.Test, results.Test, func(context.Context) error, error) {
	if u, ok := capacityURL(arg); ok {
		arg = u
		header, err := parseHeaders(o.headers)
		if err != nil {
			return nil, results.Test{}, nil, err
		}
		method, err := requestMethod(o.method)
		if err != nil {
			return nil, results.Test{}, nil, err
		}
		t, err := session.OneRequest(method, arg, header, nil)
		if err != nil {
			return nil, results.Test{}, nil, usageError("%v", err)
		}
		t.HTTP = transport.Config{Insecure: o.insecure}
		return t, results.Test{Name: "capacity", Target: flow.Redact(arg)}, nil, nil
	}
	return capacityScript(ctx, io, arg, o)
}

func capacityScript(ctx context.Context, io IO, path string, o capacityOptions) (*engine.Test, results.Test, func(context.Context) error, error) {
	testID := fmt.Sprintf("t%08x", rand.Uint32())
	s, err := scenario.LoadWith(path, scenario.Options{Target: o.target, TestID: testID})
	if err != nil {
		return nil, results.Test{}, nil, err
	}
	printWarnings(io, s.Warnings)
	p, err := flow.Build(s, flow.Options{Target: o.target, Insecure: o.insecure, Log: io.Stdout, Report: io.Stderr, TestID: testID})
	if err != nil {
		return nil, results.Test{}, nil, err
	}
	if err := checkScriptFiles(s); err != nil {
		return nil, results.Test{}, nil, err
	}
	if err := p.RunBefore(ctx); err != nil {
		return nil, results.Test{}, nil, runError(err)
	}
	target := s.Config.Target
	if o.target != "" {
		target = o.target
	}
	return p.Test, results.Test{Script: path, Target: flow.Redact(target)}, p.RunAfter, nil
}

func capacityError(err error) error {
	var input *session.InputError
	if errors.As(err, &input) {
		return usageError("%v", err)
	}
	return runError(err)
}

func writeCapacityFiles(io IO, o capacityOptions, res prober.Result, po prober.Options) error {
	doc := prober.NewDocument(res, po)
	if o.output != "" {
		b, err := doc.JSON()
		if err == nil {
			err = results.WriteAtomic(o.output, b)
		}
		if err != nil {
			return runError(fmt.Errorf("--output: %w", err))
		}
		fmt.Fprintf(io.Stderr, "Probes written to %s\n", o.output)
	}
	if o.report != "" {
		if err := prober.WriteReport(o.report, res, "Capacity of "+po.Meta.Target); err != nil {
			return runError(fmt.Errorf("--report: %w", err))
		}
		fmt.Fprintf(io.Stderr, "Report written to %s\n", o.report)
	}
	return nil
}

// capacityExit is the exit code of a finished search.
func capacityExit(res prober.Result) int {
	switch {
	case res.Answer.Outcome == capacity.GeneratorSaturated:
		return ExitGeneratorSaturated
	case res.Interrupted:
		return ExitInterrupted
	case res.Answer.Outcome == capacity.BelowStart:
		return ExitBelowStart
	}
	return ExitOK
}
