package filtrex

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"regexp"

	"github.com/surge-dev/surge/capture"
	"github.com/surge-dev/surge/templating"
)

// Lookup returns the value of a name; ok is false for a name that is not
// there (it evaluates to undefined).
type Lookup func(name string) (v any, ok bool)

// Eval evaluates the expression. Comparisons and logic give float64 1 or 0;
// arithmetic gives float64 (or a string for "+" on text). A runtime error,
// such as a call to an unknown function, is returned as err: filtrex hands
// the error object back as the result, and callers treat it as they must.
func (e *Expr) Eval(lookup Lookup) (any, error) {
	return e.root.eval(lookup)
}

// Truthy reports whether a value counts as true in JavaScript, as
// templating.Truthy does; filtrex's conditions read values that way.
func Truthy(v any) bool { return templating.Truthy(v) }

type node interface {
	eval(Lookup) (any, error)
}

type constNode struct{ v any }

func (c constNode) eval(Lookup) (any, error) { return c.v, nil }

type varNode string

func (n varNode) eval(lookup Lookup) (any, error) {
	if v, ok := lookup(string(n)); ok {
		return v, nil
	}
	return templating.Undefined, nil
}

type ofNode struct {
	name string
	obj  node
}

func (n *ofNode) eval(lookup Lookup) (any, error) {
	o, err := n.obj.eval(lookup)
	if err != nil {
		return nil, err
	}
	if m, ok := o.(map[string]any); ok {
		if v, ok := m[n.name]; ok {
			return v, nil
		}
	}
	return templating.Undefined, nil
}

type listNode []node

func (l listNode) eval(lookup Lookup) (any, error) {
	out := make([]any, len(l))
	for i, x := range l {
		v, err := x.eval(lookup)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

type condNode struct{ cond, then, els node }

func (n *condNode) eval(lookup Lookup) (any, error) {
	c, err := n.cond.eval(lookup)
	if err != nil {
		return nil, err
	}
	if Truthy(c) {
		return n.then.eval(lookup)
	}
	return n.els.eval(lookup)
}

type notNode struct{ x node }

func (n *notNode) eval(lookup Lookup) (any, error) {
	v, err := n.x.eval(lookup)
	return num(!Truthy(v)), err
}

type negNode struct{ x node }

func (n *negNode) eval(lookup Lookup) (any, error) {
	v, err := n.x.eval(lookup)
	return -templating.ToNumber(v), err
}

type binNode struct {
	op   string
	l, r node
}

func (n *binNode) eval(lookup Lookup) (any, error) {
	a, err := n.l.eval(lookup)
	if err != nil {
		return nil, err
	}
	b, err := n.r.eval(lookup)
	if err != nil {
		return nil, err
	}
	return binary(n.op, a, b), nil
}

// binary applies an operator with JavaScript's conversions. "and" and
// "or" evaluate both sides, as the generated filtrex code does.
func binary(op string, a, b any) any {
	switch op {
	case "and":
		if !Truthy(a) {
			return templating.ToNumber(a)
		}
		return templating.ToNumber(b)
	case "or":
		if Truthy(a) {
			return templating.ToNumber(a)
		}
		return templating.ToNumber(b)
	case "in":
		return num(subset(a, b))
	case "not in":
		return num(!subset(a, b))
	case "==":
		return num(looseEqual(a, b))
	case "!=":
		return num(!looseEqual(a, b))
	case "<", "<=", ">", ">=":
		return num(compare(op, a, b))
	case "+":
		return add(a, b)
	}
	return arith(op, templating.ToNumber(a), templating.ToNumber(b))
}

func arith(op string, x, y float64) float64 {
	switch op {
	case "-":
		return x - y
	case "*":
		return x * y
	case "/":
		return x / y
	case "%":
		return math.Mod(x, y)
	}
	return math.Pow(x, y) // "^"
}

func num(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// primitive converts objects and lists to their String() form and Go
// numbers to float64, as JavaScript's ToPrimitive would before an operator.
func primitive(v any) any {
	switch v.(type) {
	case map[string]any, []any, []string, map[string]string:
		return templating.JSString(v)
	}
	if f, ok := templating.Number(v); ok {
		return f
	}
	return v
}

func add(a, b any) any {
	a, b = primitive(a), primitive(b)
	_, as := a.(string)
	_, bs := b.(string)
	if as || bs {
		return templating.JSString(a) + templating.JSString(b)
	}
	return templating.ToNumber(a) + templating.ToNumber(b)
}

func compare(op string, a, b any) bool {
	a, b = primitive(a), primitive(b)
	as, aok := a.(string)
	bs, bok := b.(string)
	if aok && bok {
		switch op {
		case "<":
			return as < bs
		case "<=":
			return as <= bs
		case ">":
			return as > bs
		}
		return as >= bs
	}
	x, y := templating.ToNumber(a), templating.ToNumber(b)
	switch op {
	case "<":
		return x < y
	case "<=":
		return x <= y
	case ">":
		return x > y
	}
	return x >= y
}

// looseEqual is JavaScript's ==.
func looseEqual(a, b any) bool {
	aNull := a == nil || templating.IsUndefined(a)
	bNull := b == nil || templating.IsUndefined(b)
	if aNull || bNull {
		return aNull && bNull
	}
	if isObject(a) && isObject(b) {
		return false // distinct objects; scripts cannot share identity
	}
	a, b = primitive(a), primitive(b)
	if x, ok := a.(bool); ok {
		a = num(x)
	}
	if y, ok := b.(bool); ok {
		b = num(y)
	}
	as, aok := a.(string)
	bs, bok := b.(string)
	if aok && bok {
		return as == bs
	}
	return templating.ToNumber(a) == templating.ToNumber(b)
}

func isObject(v any) bool {
	switch v.(type) {
	case map[string]any, []any, []string, map[string]string:
		return true
	}
	return false
}

// subset is filtrex's "in": every element of a (or a itself) is among b's
// elements (or equal to b), compared as Array.prototype.includes does.
func subset(a, b any) bool {
	as, bs := asList(a), asList(b)
	for _, x := range as {
		found := false
		for _, y := range bs {
			if sameValueZero(x, y) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func asList(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	return []any{v}
}

func sameValueZero(a, b any) bool {
	x, xok := templating.Number(a)
	y, yok := templating.Number(b)
	if xok && yok {
		return x == y || (math.IsNaN(x) && math.IsNaN(y))
	}
	if xok || yok || isObject(a) || isObject(b) {
		return false
	}
	return a == b
}

// matchNode is "a ~= b": RegExp(b).test(a).
type matchNode struct {
	l, r node
	re   *regexp.Regexp // compiled at load when b is a literal
}

func (n *matchNode) eval(lookup Lookup) (any, error) {
	a, err := n.l.eval(lookup)
	if err != nil {
		return nil, err
	}
	re := n.re
	if re == nil {
		b, err := n.r.eval(lookup)
		if err != nil {
			return nil, err
		}
		if re, err = capture.CompileRegexp(templating.JSString(b), ""); err != nil {
			return nil, err
		}
	}
	return num(re.MatchString(templating.JSString(a))), nil
}

// functions are the built-ins filtrex offers; arguments convert to
// numbers as JavaScript's Math functions convert them.
var functions = map[string]func([]float64) float64{
	"abs":    func(a []float64) float64 { return math.Abs(arg(a, 0)) },
	"ceil":   func(a []float64) float64 { return math.Ceil(arg(a, 0)) },
	"floor":  func(a []float64) float64 { return math.Floor(arg(a, 0)) },
	"log":    func(a []float64) float64 { return math.Log(arg(a, 0)) },
	"sqrt":   func(a []float64) float64 { return math.Sqrt(arg(a, 0)) },
	"round":  func(a []float64) float64 { return math.Floor(arg(a, 0) + 0.5) },
	"random": func([]float64) float64 { return rand.Float64() },
	"max":    func(a []float64) float64 { return fold(a, math.Inf(-1), math.Max) },
	"min":    func(a []float64) float64 { return fold(a, math.Inf(1), math.Min) },
}

func arg(a []float64, i int) float64 {
	if i < len(a) {
		return a[i]
	}
	return math.NaN()
}

func fold(a []float64, start float64, f func(x, y float64) float64) float64 {
	for _, x := range a {
		if math.IsNaN(x) {
			return x
		}
		start = f(start, x)
	}
	return start
}

// ErrUnknownFunction is returned for a call to a function filtrex lacks.
var ErrUnknownFunction = errors.New("unknown function")

type callNode struct {
	name string
	fn   func([]float64) float64
	args []node
}

func (n *callNode) eval(lookup Lookup) (any, error) {
	if n.fn == nil {
		return nil, fmt.Errorf("%w: %s()", ErrUnknownFunction, n.name)
	}
	vals := make([]float64, len(n.args))
	for i, a := range n.args {
		v, err := a.eval(lookup)
		if err != nil {
			return nil, err
		}
		vals[i] = templating.ToNumber(v)
	}
	return n.fn(vals), nil
}
