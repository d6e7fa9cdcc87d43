package capture

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"regexp"

	"github.com/andybalholm/cascadia"
	"github.com/antchfx/xpath"
	"github.com/surge-dev/surge/templating"
	"github.com/theory/jsonpath"
)

// Capture is one compiled capture or match. It is immutable and safe for
// concurrent use by many VUs.
type Capture struct {
	spec Spec
	kind kind
	expr *templating.Template // the extractor expression (itself templated)
	path *jsonpath.Path       // json, when expr is static
	re   *regexp.Regexp       // regexp, when expr is static
	sel  cascadia.Selector    // selector, when expr is static
	xp   *xpath.Expr          // xpath, when expr is static
	// members are the names of a static json path made of them only,
	// looked up without decoding the whole body (see member.go).
	members []string
	want    templating.Value // match value
}

type kind uint8

const (
	kindJSON kind = iota
	kindRegexp
	kindHeader
	kindSelector
	kindXPath
)

// Compile checks a spec and compiles its expression. Static JSONPath and
// regexp expressions are parsed here, so mistakes surface at load time.
// Transform captures (JavaScript) are rejected.
func Compile(s Spec) (*Capture, error) {
	if err := unsupported(s); err != nil {
		return nil, err
	}
	c := &Capture{spec: s}
	src, err := c.pickExtractor()
	if err != nil {
		return nil, err
	}
	if c.expr, err = templating.Compile(src); err != nil {
		return nil, err
	}
	if err := c.compileStatic(); err != nil {
		return nil, err
	}
	if s.HasValue {
		c.want, err = templating.CompileValue(s.Value)
	}
	return c, err
}

func unsupported(s Spec) error {
	switch {
	case s.Transform != nil:
		return errors.New("capture transform (JavaScript) is not supported; use a regexp group or a template instead")
	case s.As == "" && !s.HasValue:
		return errors.New("capture needs as: the variable to set")
	}
	return nil
}

// pickExtractor chooses the extractor in Artillery's order: json, xpath,
// regexp, header, selector.
func (c *Capture) pickExtractor() (string, error) {
	switch {
	case c.spec.JSON != "":
		c.kind = kindJSON
		return c.spec.JSON, nil
	case c.spec.XPath != "":
		c.kind = kindXPath
		return c.spec.XPath, nil
	case c.spec.Regexp != "":
		c.kind = kindRegexp
		return c.spec.Regexp, nil
	case c.spec.Header != "":
		c.kind = kindHeader
		return c.spec.Header, nil
	case c.spec.Selector != "":
		c.kind = kindSelector
		return c.spec.Selector, checkIndex(c.spec.Index)
	}
	return "", errors.New("capture needs one of json, xpath, regexp, header or selector")
}

func (c *Capture) compileStatic() error {
	var err error
	if c.kind == kindRegexp {
		_, _, err = translateFlags(c.spec.Flags)
	}
	if err != nil || !c.expr.IsStatic() {
		return err
	}
	switch c.kind {
	case kindJSON:
		c.path, err = ParseJSONPath(jsonPathOf(c.spec.JSON))
		if _, isLength := lengthOf(c.spec.JSON); !isLength {
			c.members = memberChain(NormalizeJSONPath(c.spec.JSON))
		}
	case kindRegexp:
		c.re, err = CompileRegexp(c.spec.Regexp, c.spec.Flags)
	case kindSelector:
		c.sel, err = compileSelector(c.spec.Selector)
	case kindXPath:
		c.xp, err = compileXPath(c.spec.XPath)
	}
	return err
}

// Name is the variable the capture sets ("" for a match).
func (c *Capture) Name() string {
	if c.spec.HasValue {
		return ""
	}
	return c.spec.As
}

// IsMatch reports whether the entry is a legacy match rather than a capture.
func (c *Capture) IsMatch() bool { return c.spec.HasValue }

// Strict reports whether a failure of this capture fails the VU: the spec's
// own strict flag, else the script default (config.defaults.strictCapture,
// true when unset).
func (c *Capture) Strict(defaultStrict bool) bool {
	if c.spec.Strict != nil {
		return *c.spec.Strict
	}
	return defaultStrict
}

// Extract reads the captured value from resp. ok is false when the capture
// failed: the value is undefined or "" (no match, missing header, a body
// that is not JSON) or err is set (a body or expression that cannot be
// parsed). On failure value is still what Artillery would assign for a
// non-strict capture: "" or templating.Undefined.
func (c *Capture) Extract(resp *Response, sc templating.Scope) (name string, value any, ok bool, err error) {
	value, err = c.extract(resp, sc)
	if err != nil {
		return c.spec.As, templating.Undefined, false, err
	}
	ok = !templating.IsUndefined(value) && value != ""
	return c.spec.As, value, ok, nil
}

func (c *Capture) extract(resp *Response, sc templating.Scope) (any, error) {
	expr := c.expr.Render(sc)
	if templating.IsUndefined(expr) {
		return "", nil
	}
	src := templating.JSString(expr)
	switch c.kind {
	case kindJSON:
		return c.extractJSON(resp, src, sc)
	case kindRegexp:
		return c.extractRegexp(resp, src)
	case kindSelector:
		return c.extractSelector(resp, src, sc)
	case kindXPath:
		return c.extractXPath(resp, src)
	}
	v, found := resp.HeaderValue(src)
	if !found {
		return "", nil
	}
	return v, nil
}

func (c *Capture) extractJSON(resp *Response, src string, sc templating.Scope) (any, error) {
	if c.members != nil && !resp.decoded {
		if v, found, handled := lookupMembers(resp.Body, c.members); handled {
			return c.oneMatch(v, found), nil
		}
	}
	doc, err := resp.JSON()
	if err != nil {
		return nil, fmt.Errorf("response body is not JSON: %w", err)
	}
	switch doc.(type) {
	case map[string]any, []any:
	default:
		return "", nil
	}
	nodes, ok := c.selectJSON(src, doc)
	if !ok {
		return "", nil
	}
	if c.spec.Multiple != nil && !*c.spec.Multiple {
		return allMatches(nodes), nil
	}
	switch len(nodes) {
	case 0:
		return templating.Undefined, nil
	case 1:
		return nodes[0], nil
	}
	return nodes[randIndex(sc, len(nodes))], nil
}

// oneMatch is the result of a path that selects one value (found) or
// none, as extractJSON gives it.
func (c *Capture) oneMatch(v any, found bool) any {
	if c.spec.Multiple != nil && !*c.spec.Multiple {
		if !found || falsy(v) {
			return ""
		}
		return v
	}
	if !found {
		return templating.Undefined
	}
	return v
}

// allMatches is jsonpath-plus's unwrapped result: nothing or a single falsy
// value gives "", one value is itself, several are the list.
func allMatches(nodes jsonpath.NodeList) any {
	switch len(nodes) {
	case 0:
		return ""
	case 1:
		if falsy(nodes[0]) {
			return ""
		}
		return nodes[0]
	}
	return []any(nodes)
}

func falsy(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case bool:
		return !x
	case string:
		return x == ""
	case float64:
		return x == 0 || x != x
	}
	return false
}

func randIndex(sc templating.Scope, n int) int {
	if sc != nil {
		if r := sc.Rand(); r != nil {
			return r.IntN(n)
		}
	}
	return rand.IntN(n)
}

func (c *Capture) extractRegexp(resp *Response, src string) (any, error) {
	re := c.re
	if re == nil {
		var err error
		if re, err = CompileRegexp(src, c.spec.Flags); err != nil {
			return nil, err
		}
	}
	m := re.FindSubmatchIndex(resp.Body)
	if m == nil {
		return "", nil
	}
	return groupValue(re, resp.Body, m, c.spec.Group), nil
}

// groupValue applies Artillery's group rule. With a group and named groups
// in the regexp, the value is that named group (undefined if absent). With a
// group and no named groups, it is the numbered group when that is
// non-empty, else the whole match. Without a group, the whole match.
func groupValue(re *regexp.Regexp, body []byte, m []int, group any) any {
	text := func(i int) (string, bool) {
		if i < 0 || 2*i+1 >= len(m) || m[2*i] < 0 {
			return "", false
		}
		return string(body[m[2*i]:m[2*i+1]]), true
	}
	if !falsy(group) && !isZero(group) {
		key := templating.JSString(group)
		if hasNamedGroups(re) {
			if s, ok := text(re.SubexpIndex(key)); ok {
				return s
			}
			return templating.Undefined
		}
		if s, ok := text(groupIndex(key)); ok && s != "" {
			return s
		}
	}
	s, _ := text(0)
	return s
}

func isZero(v any) bool {
	f, ok := templating.Number(v)
	return ok && f == 0
}

func hasNamedGroups(re *regexp.Regexp) bool {
	for _, n := range re.SubexpNames() {
		if n != "" {
			return true
		}
	}
	return false
}

// groupIndex reads a canonical decimal group number, or -1.
func groupIndex(key string) int {
	if key == "" || len(key) > 6 || (len(key) > 1 && key[0] == '0') {
		return -1
	}
	n := 0
	for i := 0; i < len(key); i++ {
		if key[i] < '0' || key[i] > '9' {
			return -1
		}
		n = n*10 + int(key[i]-'0')
	}
	return n
}
