package flow

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"

	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/payload"
	"github.com/surge-dev/surge/scenario"
	"github.com/surge-dev/surge/schedule"
	"github.com/surge-dev/surge/transport"
)

// Options adjust a script at run time, as command-line flags do.
type Options struct {
	Target   string // overrides config.target when set
	Insecure bool   // skip TLS verification
	// Log receives the text of log steps (default: os.Stdout).
	Log io.Writer
	// Report receives failed expect checks, a few lines at most (default:
	// os.Stderr).
	Report io.Writer
	// Environ backs $env and $processEnvironment (default: the process
	// environment).
	Environ func(string) (string, bool)
	TestID  string // $testId
	// Expect, when set, replaces config.http.expectStatus: the statuses
	// that are not failures (--expect-status).
	Expect *metrics.StatusSet
	// ScenarioName (--scenario-name) runs only the scenario of that exact
	// name, or the one whose name the regular expression matches.
	ScenarioName string
}

// UserAgent is sent unless the script sets its own user-agent header.
const UserAgent = "Surge (load test)"

// Compile builds an engine test from a script. Errors point into the
// script file. A script with before or after sections needs Build.
func Compile(s *scenario.Script, opts Options) (*engine.Test, error) {
	p, err := Build(s, opts)
	if err != nil {
		return nil, err
	}
	return p.Test, nil
}

// Program is a compiled script: the main test, and the one-VU tests of its
// before and after sections, which run around it (see RunBefore and
// RunAfter).
type Program struct {
	Test   *engine.Test
	Before *engine.Test // nil without a before section
	After  *engine.Test // nil without an after section
	// ExpectEnabled says whether expect checks run (the expect plugin is
	// on); a failed one should end the process with exit code 21.
	ExpectEnabled bool
	// Warnings are problems found while compiling that do not stop the
	// test.
	Warnings scenario.Errors

	script *scenario.Script
	opts   Options
	target string
	env    func(string) (string, bool)
	vars   *varsBuilder
	report *reporter
	apdex  *apdex // nil unless the apdex plugin is on
	// endpoints names each request's endpoint (see
	// scenario.EndpointKeys).
	endpoints scenario.EndpointKeys
	errs      scenario.Errors
	// warnedExpect: the warning that expect checks are skipped was given.
	warnedExpect bool
	// cookieErrs counts the Set-Cookie fields the jar refused while it
	// was off (errors.cookie_parse_error_invalid_cookie); registered
	// with the first request step.
	cookieErrs *counter
}

// Build compiles a script into a Program.
func Build(s *scenario.Script, opts Options) (*Program, error) {
	p := &Program{script: s, opts: opts, target: s.Config.Target, env: opts.Environ,
		ExpectEnabled: s.Config.Plugins.Expect != nil}
	if opts.Target != "" {
		p.target = opts.Target
	}
	if p.env == nil {
		p.env = os.LookupEnv
	}
	p.report = newReporter(opts.Report)
	p.apdex = newApdex(s.Config)
	p.endpoints = s.EndpointKeys(p.target)
	p.checkTarget()
	p.checkEnsure()
	if err := p.loadPayloads(); err != nil {
		return nil, err
	}
	t, err := p.mainTest()
	if err != nil {
		return nil, err
	}
	p.Test = t
	p.Before = p.sectionTest(s.Before, true)
	p.After = p.sectionTest(s.After, false)
	if len(p.errs) > 0 {
		return nil, p.errs
	}
	return p, nil
}

func (p *Program) warnf(pos scenario.Pos, format string, args ...any) {
	p.Warnings = append(p.Warnings, &scenario.Error{File: p.script.File, Pos: pos, Msg: "warning: " + fmt.Sprintf(format, args...)})
}

func (p *Program) errorf(pos scenario.Pos, format string, args ...any) {
	p.errs = append(p.errs, &scenario.Error{File: p.script.File, Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

// loadPayloads reads the CSV files and prepares per-VU variables.
func (p *Program) loadPayloads() error {
	var set payload.Set
	for _, pl := range p.script.Config.Payloads {
		t, err := payload.Load(pl.Path, payload.Options{
			Fields: pl.Fields, Order: pl.Order, SkipHeader: pl.SkipHeader, Delimiter: pl.Delimiter,
			Cast: pl.Cast, SkipEmptyLines: pl.SkipEmptyLines, LoadAll: pl.LoadAll, Name: pl.Name,
		})
		if err != nil {
			return &scenario.Error{File: p.script.File, Pos: pl.Pos, Msg: err.Error()}
		}
		p.checkPayloadUse(pl, t)
		set = append(set, t)
	}
	p.vars = newVarsBuilder(p, set)
	return nil
}

// checkPayloadUse warns about a payload that can give no VU a value: its
// variables are then undefined in every request, as in Artillery, which
// says nothing; a test sent as /users/undefined measures the wrong thing.
func (p *Program) checkPayloadUse(pl scenario.Payload, t *payload.Table) {
	switch {
	case t.Len() == 0:
		p.warnf(pl.Pos, "payload %s has no rows (an empty file, or only the header skipHeader skips): its variables are undefined in every VU", t.Source())
	case len(pl.Fields) == 0 && !pl.LoadAll:
		p.warnf(pl.Pos, "payload %s has no fields: no variable gets its values (name its columns with fields, or use loadAll with name)", t.Source())
	}
}

func (p *Program) mainTest() (*engine.Test, error) {
	cfg := p.script.Config
	t := &engine.Test{Phases: Phases(cfg.Phases), Timeout: cfg.HTTP.Timeout, Expect: p.expect()}
	proto, err := transport.ParseProtocol(cfg.HTTP.Protocol)
	if err != nil {
		return nil, &scenario.Error{File: p.script.File, Msg: err.Error()}
	}
	t.HTTP = transport.Config{Protocol: proto, Insecure: p.opts.Insecure || cfg.HTTP.Insecure}
	if cfg.HTTP.Pool > 0 {
		t.Conns, t.Connections = engine.Shared, cfg.HTTP.Pool
		t.Targets = warmTargets(cfg.Target)
	}
	only, err := p.chosenScenario()
	if err != nil {
		return nil, err
	}
	for i, sc := range p.script.Scenarios {
		w := p.weight(sc)
		switch {
		case only < 0:
		case i == only:
			w = 1 // chosen by name: it runs whatever its weight
		default:
			w = 0
		}
		if w == 0 {
			continue // Artillery never picks a scenario of weight 0
		}
		name := sc.Name
		if name == "" {
			name = fmt.Sprint(i)
		}
		steps := p.steps(t, sc.Flow)
		run := p.scenarioRun(steps, newCounter("vusers.created_by_name."+name), false)
		t.Scenarios = append(t.Scenarios, engine.Scenario{Name: name, Weight: w, Run: run})
	}
	switch {
	case len(p.errs) > 0:
	case len(p.script.Scenarios) == 0:
		p.errorf(scenario.Pos{}, "no scenarios: expected at least one scenario with a flow")
	case len(t.Scenarios) == 0:
		p.errorf(p.script.Scenarios[0].Pos, "no scenario can run: every weight is 0")
	}
	return t, nil
}

// warmTargets is the script's target, for the pool to connect to before
// the clock starts (engine.Test.Targets), when it is a plain http:// URL
// with no template in it.
func warmTargets(target string) []*engine.Prepared {
	u, err := url.Parse(target)
	if err != nil || u.Scheme != "http" || u.Host == "" || strings.Contains(target, "{{") {
		return nil
	}
	return []*engine.Prepared{engine.Prepare("GET", u, nil, nil)}
}

// expect is the set of statuses that are not failures: the command line's,
// else the script's, else nil (the engine's default, 100 to 399).
func (p *Program) expect() *metrics.StatusSet {
	if p.opts.Expect != nil {
		return p.opts.Expect
	}
	return p.script.Config.HTTP.ExpectStatus
}

// sectionTest compiles a before or after section into a one-VU test.
func (p *Program) sectionTest(sc *scenario.Scenario, before bool) *engine.Test {
	if sc == nil {
		return nil
	}
	t := &engine.Test{
		Phases:  []schedule.Phase{{Kind: schedule.Count, ArrivalCount: 1}},
		Timeout: p.script.Config.HTTP.Timeout, HTTP: transport.Config{Insecure: p.opts.Insecure || p.script.Config.HTTP.Insecure},
		Expect: p.expect(),
	}
	steps := p.steps(t, sc.Flow)
	t.Scenarios = []engine.Scenario{{Name: sc.Name, Run: p.scenarioRun(steps, counter{}, before)}}
	return t
}

// scenarioRun is the body of one VU: set up its variables, run the steps
// in order, stop at the first failure. The before section keeps its
// final variables for every later VU.
func (p *Program) scenarioRun(steps []step, byName counter, before bool) func(context.Context, *engine.VU) error {
	return func(_ context.Context, vu *engine.VU) error {
		st := p.newState(vu)
		byName.add(vu, 1)
		for _, s := range steps {
			if err := s.run(st); err != nil {
				return p.fail(st, err)
			}
		}
		if before {
			p.vars.setBefore(st.vars)
		}
		return nil
	}
}

// RunBefore runs the before section, if any; its variables then seed
// every VU of the main test and the after section.
func (p *Program) RunBefore(ctx context.Context) error {
	return p.runSection(ctx, p.Before, "before")
}

// RunAfter runs the after section, if any.
func (p *Program) RunAfter(ctx context.Context) error {
	return p.runSection(ctx, p.After, "after")
}

func (p *Program) runSection(ctx context.Context, t *engine.Test, what string) error {
	if t == nil {
		return nil
	}
	res, err := engine.Run(ctx, *t)
	if err != nil {
		return err
	}
	if res.Final.VUs.Failed > 0 {
		return fmt.Errorf("the %s section failed (%s)", what, strings.Join(failureKinds(res.Final), ", "))
	}
	return nil
}

func failureKinds(s metrics.Snapshot) []string {
	var out []string
	for k := range s.Counters {
		if strings.HasPrefix(k, "errors.") {
			out = append(out, k)
		}
	}
	for k := range s.Total.Kinds {
		out = append(out, "errors."+k)
	}
	return out
}

// Phases maps script phases to schedule phases. A script without phases
// runs one VU, as Artillery does.
func Phases(ps []scenario.Phase) []schedule.Phase {
	if len(ps) == 0 {
		return []schedule.Phase{{Kind: schedule.Count, ArrivalCount: 1, Duration: 0}}
	}
	out := make([]schedule.Phase, 0, len(ps))
	for _, p := range ps {
		out = append(out, phase(p))
	}
	return out
}

func phase(p scenario.Phase) schedule.Phase {
	sp := schedule.Phase{Name: p.Name, Duration: p.Duration, MaxVUsers: p.MaxVUsers}
	switch {
	case p.Pause > 0:
		sp.Kind, sp.Duration = schedule.Pause, p.Pause
	case p.Users > 0:
		sp.Kind, sp.Users, sp.SpawnRate = schedule.Users, p.Users, p.SpawnRate
	case p.HasCount:
		sp.Kind, sp.ArrivalCount = schedule.Count, p.ArrivalCount
		if p.ArrivalCount == 0 {
			sp.Duration = 0 // skipped at once, as Artillery does, not waited out
		}
	case p.HasRampTo:
		sp.Kind, sp.ArrivalRate, sp.RampTo = schedule.Ramp, p.ArrivalRate, p.RampTo
	case p.ArrivalRate > 0:
		sp.Kind, sp.ArrivalRate = schedule.Constant, p.ArrivalRate
	default:
		sp.Kind = schedule.Pause // a rate of 0 waits out the duration
	}
	return sp
}
