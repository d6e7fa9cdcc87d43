package flow

import (
	"math"
	"strings"

	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/flow/filtrex"
	"github.com/surge-dev/surge/scenario"
	"github.com/surge-dev/surge/templating"
)

// loopStep repeats its steps, as Artillery's loop does: count times (a
// number, "N", a range "a-b" or a template), once per element of over (a
// literal list or the name of a list variable), or, with neither, until
// the VU is stopped.
type loopStep struct {
	steps      []step
	count      templating.Value
	hasCount   bool
	overList   []any            // a literal list without templates
	overTmpl   templating.Value // a literal list with templates, rendered as the loop starts
	overRender bool             // overTmpl is set
	overVar    string           // variable holding the list
	hasOver    bool
	indexVar   string
	elementVar string
	while      *filtrex.Expr // whileTrue; nil when not set
}

func (p *Program) loop(t *engine.Test, st scenario.Step) step {
	l := st.Loop
	ls := &loopStep{steps: p.steps(t, l.Steps), hasCount: l.HasCount, hasOver: l.HasOver,
		indexVar: l.IndexVar, elementVar: l.ElementVar}
	if l.HasCount {
		p.checkLoopCount(l.Count, l.CountPos)
		ls.count = p.compileValue(l.Count, l.CountPos)
	}
	if l.HasOver {
		switch o := l.Over.(type) {
		case []any:
			ls.overList = o
			if v := p.compileValue(o, l.OverPos); !v.IsStatic() {
				ls.overTmpl, ls.overRender = v, true // Artillery renders the elements
			}
		case string:
			ls.overVar = o
		default:
			p.errorf(l.OverPos, "loop over: expected a list or the name of a list variable")
		}
	}
	if l.HasWhileTrue {
		ls.while = p.whileTrue(l)
	} else if !l.HasCount && !l.HasOver {
		p.warnf(st.Pos, "loop without count or over runs until the test stops")
	}
	return ls
}

// whileTrue compiles the loop's condition. Unlike ifTrue, a condition
// that does not parse is an error: there is no Artillery behaviour to
// keep, and a loop that never ends is a costly way to find a typo.
func (p *Program) whileTrue(l *scenario.Loop) *filtrex.Expr {
	e, err := filtrex.Compile(l.WhileTrue)
	if err != nil {
		p.errorf(l.WhileTruePos, "whileTrue %q: %v", l.WhileTrue, err)
		return nil
	}
	if l.HasCount || l.HasOver {
		p.warnf(l.WhileTruePos, "whileTrue decides when the loop ends: count and over only give $loopCount and $loopElement, as in Artillery")
	}
	return e
}

// goOn evaluates whileTrue after a pass; a condition that fails to
// evaluate ends the loop.
func (ls *loopStep) goOn(st *state) bool {
	v, err := ls.while.Eval(st.Lookup)
	return err == nil && filtrex.Truthy(v)
}

// bounds reads the loop count as Artillery's parseLoopCount does; to is
// -1 for a loop without end.
func (ls *loopStep) bounds(st *state) (from, to int) {
	if !ls.hasCount {
		return 0, -1
	}
	switch c := ls.count.Render(st).(type) {
	case string:
		if n := templating.StringToNumber(c); !math.IsNaN(n) {
			return 0, int(n)
		}
		if a, b, ok := strings.Cut(c, "-"); ok {
			return int(templating.StringToNumber(a)), int(templating.StringToNumber(b))
		}
		return 0, 0
	default:
		if f, ok := templating.Number(c); ok {
			return 0, int(f)
		}
	}
	return 0, 0
}

func (ls *loopStep) run(st *state) error {
	from, to := ls.bounds(st)
	list, ok := ls.list(st)
	if !ok {
		return nil // over names something that is not a list: skip
	}
	st.vars[ls.indexVar] = float64(from)
	st.vars[ls.elementVar] = element(list, from, ls.hasOver)
	for i := from; ls.more(st, i, from, to, list); i++ {
		if err := st.vu.Context().Err(); err != nil {
			return engine.ErrStopped
		}
		for _, s := range ls.steps {
			if err := s.run(st); err != nil {
				return err
			}
		}
		// Artillery increments the variable, not its own counter: after a
		// nested loop the outer index continues from the inner one's.
		st.vars[ls.indexVar] = templating.ToNumber(st.vars[ls.indexVar]) + 1
		if ls.hasOver {
			st.vars[ls.elementVar] = element(list, i+1, true)
		}
	}
	return nil
}

func (ls *loopStep) list(st *state) ([]any, bool) {
	if !ls.hasOver {
		return nil, true
	}
	if ls.overRender {
		l, ok := ls.overTmpl.Render(st).([]any)
		return l, ok
	}
	if ls.overVar == "" {
		return ls.overList, true
	}
	v, _ := templating.Get(st.vars, ls.overVar)
	l, ok := v.([]any)
	return l, ok
}

func (ls *loopStep) more(st *state, i, from, to int, list []any) bool {
	if ls.while != nil {
		// Artillery runs the body once, then asks after every pass.
		return i == from || ls.goOn(st)
	}
	if ls.hasOver {
		return i < len(list)
	}
	return to == -1 || i < to
}

// element is the $loopElement of iteration i: the list element, or the
// index itself when the loop has no list.
func element(list []any, i int, over bool) any {
	if !over {
		return float64(i)
	}
	if i >= 0 && i < len(list) {
		return list[i]
	}
	return templating.Undefined
}
