package flow

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"time"

	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/scenario"
	"github.com/surge-dev/surge/templating"
)

// step is one compiled flow step.
type step interface {
	run(st *state) error
}

// steps compiles a list of flow steps; problems are collected in p.errs.
func (p *Program) steps(t *engine.Test, flow []scenario.Step) []step {
	var out []step
	for _, st := range flow {
		var s step
		switch {
		case st.Request != nil:
			s = p.request(t, st)
		case st.Think != nil:
			s = p.think(st)
		case st.Log != nil:
			s = p.log(st)
		case st.Loop != nil:
			s = p.loop(t, st)
		case st.Parallel != nil:
			s = p.parallel(t, st)
		}
		if s != nil {
			out = append(out, s)
		}
	}
	return out
}

// compile compiles a template, reporting errors at pos.
func (p *Program) compile(text string, pos scenario.Pos) *templating.Template {
	t, err := templating.Compile(text)
	if err != nil {
		p.errorf(pos, "template %q: %v", text, err)
		return templating.MustCompile("")
	}
	return t
}

func (p *Program) compileValue(v any, pos scenario.Pos) templating.Value {
	cv, err := templating.CompileValue(v)
	if err != nil {
		p.errorf(pos, "%v", err)
	}
	return cv
}

// thinkStep pauses the VU. A plain number of seconds is fixed at load;
// anything else is rendered per VU.
type thinkStep struct {
	fixed  time.Duration
	value  templating.Value // when not fixed
	jitter float64          // fraction (0.1 for "10%")
	jitAbs time.Duration    // absolute jitter
}

func (p *Program) think(st scenario.Step) step {
	ts := &thinkStep{fixed: -1}
	if d, ok := thinkDuration(st.Think.Value); ok {
		ts.fixed = d
	} else {
		p.checkStaticThink(st.Think.Value, st.Pos)
		ts.value = p.compileValue(st.Think.Value, st.Pos)
	}
	j := st.Think.Jitter
	if j == "" {
		j = p.script.Config.Defaults.ThinkJitter
	}
	p.parseJitter(ts, j, st.Pos)
	return ts
}

func (p *Program) parseJitter(ts *thinkStep, j string, pos scenario.Pos) {
	j = strings.TrimSpace(j)
	switch {
	case j == "":
	case strings.HasSuffix(j, "%"):
		ts.jitter = templating.StringToNumber(strings.TrimSuffix(j, "%")) / 100
	default:
		ts.jitAbs = time.Duration(templating.StringToNumber(j) * float64(time.Millisecond))
	}
	if math.IsNaN(ts.jitter) || ts.jitAbs < 0 {
		p.errorf(pos, "jitter %q: expected a percentage such as 10%% or milliseconds", j)
	}
}

// thinkDuration reads a think value: a number of seconds, or text such
// as "500ms", "2s" or "1.5" (seconds).
func thinkDuration(v any) (time.Duration, bool) {
	if f, ok := templating.Number(v); ok {
		if f < 0 || math.IsNaN(f) || f > 1e9 {
			return 0, false
		}
		return time.Duration(f * float64(time.Second)), true
	}
	s, ok := v.(string)
	if !ok || strings.Contains(s, "{{") {
		return 0, false
	}
	d, err := scenario.ParseDuration(s)
	return d, err == nil
}

func (ts *thinkStep) run(st *state) error {
	d := ts.fixed
	if d < 0 {
		var ok bool
		if d, ok = thinkDuration(ts.value.Render(st)); !ok {
			return st.prog.newStepError("Invalid think time", templating.Stringify(ts.value.Render(st)))
		}
	}
	if ts.jitter > 0 || ts.jitAbs > 0 {
		span := time.Duration(float64(d)*ts.jitter) + ts.jitAbs
		d += time.Duration((rand.Float64()*2 - 1) * float64(span))
	}
	return st.vu.Think(max(d, 0))
}

// logStep prints its templated text.
type logStep struct {
	text *templating.Template
	w    io.Writer
}

func (p *Program) log(st scenario.Step) step {
	w := p.opts.Log
	if w == nil {
		w = os.Stdout
	}
	return &logStep{text: p.compile(st.Log.Text, st.Pos), w: w}
}

func (ls *logStep) run(st *state) error {
	line := ls.text.AppendString(nil, st)
	fmt.Fprintf(ls.w, "%s\n", line)
	return nil
}
