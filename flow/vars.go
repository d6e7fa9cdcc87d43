package flow

import (
	"maps"
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/payload"
	"github.com/surge-dev/surge/scenario"
	"github.com/surge-dev/surge/templating"
)

// varsBuilder makes the variables a new VU starts with, in Artillery's
// order: the built-ins, then the before section's variables, then a
// payload row, then config.variables (a list picks one element at
// random), and last the VU's own $uuid.
//
// The payload row and the list elements follow the scenario run's global
// identity (engine.VU.Iteration and VU.Rand), not the order VUs happen to
// start in: a run gets the same row and elements in a single run and in
// any share of a segmented one. $uuid stays random.
type varsBuilder struct {
	mu       sync.RWMutex
	base     map[string]any // built-ins, then the before section's variables
	payloads payload.Set
	inline   []scenario.Variable
}

func newVarsBuilder(p *Program, set payload.Set) *varsBuilder {
	s := p.script
	base := map[string]any{
		"target":       p.target,
		"$environment": templating.Undefined,
		"$testId":      p.opts.TestID,
		"$dirname":     s.ConfigDir,
		"$scenarioFile": func() string {
			if abs, err := filepath.Abs(s.File); err == nil {
				return abs
			}
			return s.File
		}(),
	}
	if s.Environment != "" {
		base["$environment"] = s.Environment
	}
	return &varsBuilder{base: base, payloads: set, inline: s.Config.Variables}
}

// setBefore keeps the before section's final variables for later VUs.
func (b *varsBuilder) setBefore(vars map[string]any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	maps.Copy(b.base, vars)
}

// build returns the variables of the VU's current run; a nil VU (a
// sample for rendering weights) gets run 0's row and random elements.
// A looping user's next run empties and refills the map of its last
// (engine.VU.Vars, which nothing keeps past its run), rather than making
// one for every run.
func (b *varsBuilder) build(vu *engine.VU) map[string]any {
	var vars map[string]any
	var run uint64
	var rng *rand.Rand // nil: the shared source
	if vu != nil {
		vars, run, rng = vu.Vars, uint64(vu.Iteration), vu.Rand()
	}
	if vars == nil {
		vars = make(map[string]any, len(b.base)+len(b.inline)+4)
	}
	clear(vars)
	b.mu.RLock()
	maps.Copy(vars, b.base)
	b.mu.RUnlock()
	b.payloads.PickInto(vars, run, rng)
	for _, v := range b.inline {
		vars[v.Name] = pick(v.Value, rng)
	}
	vars["$uuid"] = templating.NewUUID(nil)
	return vars
}

// pick chooses a list variable's element for one VU, drawn from r (nil:
// the shared source). Structured values are copied, since captures may
// write into them.
func pick(v any, r *rand.Rand) any {
	if l, ok := v.([]any); ok {
		if len(l) == 0 {
			return templating.Undefined
		}
		if r != nil {
			v = l[r.IntN(len(l))]
		} else {
			v = l[rand.IntN(len(l))]
		}
	}
	return deepCopy(v)
}

func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = deepCopy(e)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = deepCopy(e)
		}
		return l
	}
	return v
}

// weight resolves a scenario's weight; a template is rendered once
// against the config variables and the environment, then read as
// parseInt does (not a number: 0).
func (p *Program) weight(sc scenario.Scenario) int {
	if sc.WeightTemplate == "" {
		return sc.Weight
	}
	t, err := templating.Compile(sc.WeightTemplate)
	if err != nil {
		p.errorf(sc.Pos, "weight %q: %v", sc.WeightTemplate, err)
		return 0
	}
	sample := &state{vars: p.vars.build(nil), prog: p}
	s := strings.TrimSpace(templating.JSString(t.Render(sample)))
	end := 0
	for end < len(s) && (s[end] >= '0' && s[end] <= '9' || (end == 0 && s[end] == '-')) {
		end++
	}
	w, err := strconv.Atoi(s[:end])
	if err != nil || w < 0 {
		return 0
	}
	return w
}

// state is one VU's script state; it is the templating scope of every
// value the VU renders.
type state struct {
	vars map[string]any
	vu   *engine.VU
	prog *Program
}

func (p *Program) newState(vu *engine.VU) *state {
	st := &state{vars: p.vars.build(vu), vu: vu, prog: p}
	vu.Vars = st.vars
	return st
}

// Lookup implements templating.Scope.
func (st *state) Lookup(name string) (any, bool) {
	v, ok := st.vars[name]
	return v, ok
}

// Env implements templating.Scope.
func (st *state) Env(name string) (string, bool) { return st.prog.env(name) }

// Rand implements templating.Scope: the shared source, which is safe for
// concurrent use.
func (st *state) Rand() *rand.Rand { return nil }

var _ templating.Scope = (*state)(nil)
