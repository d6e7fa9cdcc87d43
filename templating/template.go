package templating

import (
	"fmt"
	"math"
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"
)

// jsSpace is the character class JavaScript's \s matches.
const jsSpace = `\t\n\v\f\r \x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}\x{feff}`

// The expressions are compiled when the first template needs them, not
// at start-up, which a one-liner without templates would pay for nothing.
var (
	// callRx finds "{{ $name(simple, args) }}"; group 1 is the call text.
	callRx = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`\{\{[` + jsSpace + `]*(\$[A-Za-z0-9_]+[` + jsSpace +
			`]*\([A-Za-z0-9_,` + jsSpace + `]*\))[` + jsSpace + `]*\}\}`)
	})
	// varRx finds "{{ name }}" and "{{{ name }}}": a name is made of word
	// characters, white space, $ . [ ] ' " and -. Anything else (operators,
	// parentheses) is not a template and stays as literal text.
	varRx = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`\{\{\{?[` + jsSpace + `$\w.\[\]'"-]+\}\}\}?`)
	})
)

// Template is a compiled template string. It is immutable and safe for
// concurrent use; compile once at load time and render per request.
type Template struct {
	src    string
	kind   kind
	single *varExpr // kindSingle
	parts  []part   // kindText
	size   int      // literal bytes, to size the output
}

type kind uint8

const (
	kindStatic    kind = iota // no template: renders as the source text
	kindSingle                // exactly one "{{ var }}": keeps the value's type
	kindText                  // text with substitutions: renders a string
	kindUndefined             // calls an unknown function: renders Undefined
)

// part is one piece of a kindText template: literal text, a variable or a
// function call.
type part struct {
	lit  string
	v    *varExpr
	call *call
}

// Compile parses s. It fails on a "{{" that is never closed, on a
// function call whose argument list a JavaScript parser would reject, and
// on an oversized $randomString length.
func Compile(s string) (*Template, error) {
	t := &Template{src: s}
	if !strings.Contains(s, "{{") {
		return t, nil
	}
	if err := checkClosed(s); err != nil {
		return nil, err
	}
	calls := callRx().FindAllStringSubmatchIndex(s, -1)
	if len(calls) == 0 {
		t.compileVars(s)
		return t, nil
	}
	last := 0
	for _, m := range calls {
		c, known, err := parseCall(s[m[2]:m[3]])
		if err != nil {
			return nil, err
		}
		if !known {
			return &Template{src: s, kind: kindUndefined}, nil
		}
		t.addText(s[last:m[0]])
		t.parts = append(t.parts, part{call: c})
		last = m[1]
	}
	t.addText(s[last:])
	t.kind = kindText
	return t, nil
}

// checkClosed reports a "{{" (or "{{{") with no "}}" before the next
// "{{" or the end. Artillery sends such text as it is, so "{{ name" goes
// out literally and the mistake only shows on the server; Surge refuses it
// when the script loads.
func checkClosed(s string) error {
	for pos := 0; ; {
		i := strings.Index(s[pos:], "{{")
		if i < 0 {
			return nil
		}
		open := pos + i
		inner := open + 2
		for inner < len(s) && s[inner] == '{' {
			inner++
		}
		end := strings.Index(s[inner:], "}}")
		next := strings.Index(s[inner:], "{{")
		if end < 0 || (next >= 0 && next < end) {
			return fmt.Errorf("%q at character %d is never closed with \"}}\"", s[open:inner], utf8.RuneCountInString(s[:open])+1)
		}
		pos = inner + end + 2
	}
}

// MustCompile is [Compile] that panics on error, for tests and constants.
func MustCompile(s string) *Template {
	t, err := Compile(s)
	if err != nil {
		panic(err)
	}
	return t
}

func (t *Template) compileVars(s string) {
	vars := varRx().FindAllStringIndex(s, -1)
	switch {
	case len(vars) == 0:
		return
	case len(vars) == 1 && vars[0][0] == 0 && vars[0][1] == len(s):
		t.kind = kindSingle
		t.single = newVarExpr(s)
		return
	}
	t.kind = kindText
	t.addText(s)
}

// addText appends literal text, splitting out any variable references.
func (t *Template) addText(s string) {
	last := 0
	for _, m := range varRx().FindAllStringIndex(s, -1) {
		t.addLit(s[last:m[0]])
		t.parts = append(t.parts, part{v: newVarExpr(s[m[0]:m[1]])})
		last = m[1]
	}
	t.addLit(s[last:])
}

func (t *Template) addLit(s string) {
	if s == "" {
		return
	}
	t.size += len(s)
	t.parts = append(t.parts, part{lit: s})
}

// Source returns the text the template was compiled from.
func (t *Template) Source() string { return t.src }

// IsStatic reports whether the template has no substitutions at all.
func (t *Template) IsStatic() bool { return t.kind == kindStatic }

// Render evaluates the template. A string that is exactly one "{{ var }}"
// yields the variable's own value (any type; an empty string or NaN gives
// ""); an undefined variable there, or any unknown function call, yields
// [Undefined]. Everything else yields a string. The result may share
// structure with scope values and must be treated as read-only.
func (t *Template) Render(sc Scope) any {
	switch t.kind {
	case kindStatic:
		return t.src
	case kindSingle:
		return sanitise(t.single.eval(orEmpty(sc)))
	case kindUndefined:
		return Undefined
	}
	return t.newString(orEmpty(sc))
}

// newString renders a kindText template into a fresh buffer and hands the
// buffer over as the string without copying it; the buffer is never touched
// again.
func (t *Template) newString(sc Scope) string {
	b := t.appendText(make([]byte, 0, t.size+16), sc)
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// RenderString renders the template and converts the result to text the way
// a substitution would ([Stringify]): Undefined becomes "undefined".
func (t *Template) RenderString(sc Scope) string {
	switch t.kind {
	case kindStatic:
		return t.src
	case kindText:
		return t.newString(orEmpty(sc))
	}
	return Stringify(t.Render(sc))
}

// AppendString appends [Template.RenderString] to dst.
func (t *Template) AppendString(dst []byte, sc Scope) []byte {
	switch t.kind {
	case kindStatic:
		return append(dst, t.src...)
	case kindText:
		return t.appendText(dst, orEmpty(sc))
	}
	return AppendStringify(dst, t.Render(sc))
}

func (t *Template) appendText(dst []byte, sc Scope) []byte {
	for i := range t.parts {
		p := &t.parts[i]
		switch {
		case p.v != nil:
			v, ok := p.v.eval(sc)
			if !ok {
				v = Undefined
			}
			dst = AppendStringify(dst, v)
		case p.call != nil:
			dst = p.call.fn(dst, sc.Rand(), p.call.args)
		default:
			dst = append(dst, p.lit...)
		}
	}
	return dst
}

// sanitise applies Artillery's rule for a whole-string variable: missing is
// Undefined, "" and NaN are "", anything else is returned unchanged.
func sanitise(v any, ok bool) any {
	if !ok || IsUndefined(v) {
		return Undefined
	}
	if f, isFloat := v.(float64); isFloat && math.IsNaN(f) {
		return ""
	}
	return v
}

// varExpr is a compiled variable reference.
type varExpr struct {
	name string   // the whole name, for the lodash "literal key wins" rule
	segs []string // the path split into keys
	deep bool     // name contains a path separator
	env  bool     // $env.X or $processEnvironment.X
}

func newVarExpr(token string) *varExpr {
	name := TrimJSSpace(strings.NewReplacer("{", "", "}", "").Replace(token))
	e := &varExpr{name: name, deep: strings.ContainsAny(name, ".[")}
	if e.deep {
		e.segs = ParsePath(name)
	}
	if len(e.segs) >= 2 && (e.segs[0] == "$env" || e.segs[0] == "$processEnvironment") {
		e.env = true
	}
	return e
}

func (e *varExpr) eval(sc Scope) (any, bool) {
	if !e.deep {
		return sc.Lookup(e.name)
	}
	if v, ok := sc.Lookup(e.name); ok {
		return v, true
	}
	if e.env {
		v, ok := sc.Env(e.segs[1])
		if !ok {
			return nil, false
		}
		return GetPath(v, e.segs[2:])
	}
	if len(e.segs) == 0 {
		return nil, false
	}
	root, ok := sc.Lookup(e.segs[0])
	if !ok {
		return nil, false
	}
	return GetPath(root, e.segs[1:])
}
