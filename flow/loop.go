package flow

import (
	"math"
	"strings"

	"github.com/surge-dev/surge/engine"
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
	overList   []any
	overVar    string // variable holding the list
	hasOver    bool
	indexVar   string
	elementVar string
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
		case string:
			ls.overVar = o
		default:
			p.errorf(l.OverPos, "loop over: expected a list or the name of a list variable")
		}
	}
	if !l.HasCount && !l.HasOver {
		p.warnf(st.Pos, "loop without count or over runs until the test stops")
	}
	return ls
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
	for i := from; ls.more(i, to, list); i++ {
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
	if ls.overVar == "" {
		return ls.overList, true
	}
	v, _ := templating.Get(st.vars, ls.overVar)
	l, ok := v.([]any)
	return l, ok
}

func (ls *loopStep) more(i, to int, list []any) bool {
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
