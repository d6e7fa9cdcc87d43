package expect

import (
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/surge-dev/surge/capture"
	"github.com/surge-dev/surge/templating"
)

// builders compile each supported expectation type from its raw value.
var builders = map[string]func(v any) (check, error){
	"statusCode":     func(v any) (check, error) { return newValueCheck(v, statusCode) },
	"notStatusCode":  func(v any) (check, error) { return newValueCheck(v, notStatusCode) },
	"contentType":    func(v any) (check, error) { return newValueCheck(v, contentType) },
	"hasProperty":    func(v any) (check, error) { return newValueCheck(v, hasProperty) },
	"notHasProperty": func(v any) (check, error) { return newValueCheck(v, notHasProperty) },
	"hasHeader":      func(v any) (check, error) { return newValueCheck(v, hasHeader) },
	"headerEquals":   func(v any) (check, error) { return newValueCheck(v, headerEquals) },
	"equals":         newEquals,
	"matchesRegexp":  newMatchesRegexp,
	"cdnHit":         func(v any) (check, error) { return cdnHit{want: templating.Truthy(v)}, nil },
}

// exchange is one response being checked, with its body as the expect
// plugin sees it: parsed when the content-type says JSON (nil when that
// fails), the raw text otherwise.
type exchange struct {
	resp   *capture.Response
	sc     templating.Scope
	parsed bool
	body   any
}

func (x *exchange) contentType() (string, bool) { return x.resp.ContentType() }

func (x *exchange) getBody() any {
	if x.parsed {
		return x.body
	}
	x.parsed = true
	ct, _ := x.contentType()
	if !isJSONType(ct) {
		x.body = string(x.resp.Body)
		return x.body
	}
	doc, err := x.resp.JSON()
	if err == nil {
		x.body = doc
	}
	return x.body
}

func isJSONType(ct string) bool {
	return strings.Contains(ct, "application/json") ||
		strings.Contains(ct, "application/problem+json") ||
		strings.Contains(ct, "application/ld+json")
}

func isObject(v any) bool {
	switch v.(type) {
	case map[string]any, []any:
		return true
	}
	return false
}

// valueCheck renders its templated value and hands it to fn.
type valueCheck struct {
	val templating.Value
	fn  func(x *exchange, v any) Result
}

func newValueCheck(v any, fn func(x *exchange, v any) Result) (check, error) {
	val, err := templating.CompileValue(v)
	return valueCheck{val: val, fn: fn}, err
}

func (c valueCheck) run(x *exchange) Result { return c.fn(x, c.val.Render(x.sc)) }

func statusCode(x *exchange, want any) Result {
	return Result{OK: statusIn(x.resp.Status, want), Type: "statusCode",
		Expected: templating.JSString(want), Got: strconv.Itoa(x.resp.Status)}
}

func notStatusCode(x *exchange, want any) Result {
	return Result{OK: !statusIn(x.resp.Status, want), Type: "notStatusCode",
		Expected: "Status code different than " + templating.JSString(want), Got: strconv.Itoa(x.resp.Status)}
}

// statusIn compares as Number(status) === Number(x) for x or any element.
func statusIn(status int, want any) bool {
	list, ok := want.([]any)
	if !ok {
		list = []any{want}
	}
	for _, w := range list {
		if templating.ToNumber(w) == float64(status) {
			return true
		}
	}
	return false
}

func contentType(x *exchange, want any) Result {
	r := Result{Type: "contentType", Expected: templating.JSString(want)}
	ct, has := x.contentType()
	if want == "json" {
		body := x.getBody()
		switch {
		case isObject(body) && isJSONType(ct):
			r.OK, r.Got = true, "json"
		case body == nil:
			r.Got = "could not parse response body as JSON"
		default:
			r.Got = "content-type is " + orUndefined(ct, has)
		}
		return r
	}
	r.OK = has && strings.EqualFold(ct, r.Expected)
	r.Got = ct
	if !has {
		r.Got = "content-type header not set"
	}
	return r
}

func orUndefined(s string, ok bool) string {
	if !ok {
		return "undefined"
	}
	return s
}

func hasProperty(x *exchange, v any) Result {
	prop := templating.JSString(v)
	return propertyResult(x, "hasProperty", prop, true, "response body has no "+prop+" property")
}

func notHasProperty(x *exchange, v any) Result {
	prop := templating.JSString(v)
	return propertyResult(x, "notHasProperty", prop, false, "response body has "+prop+" property")
}

// propertyResult checks a lodash path in a JSON object body (lodash has).
func propertyResult(x *exchange, typ, prop string, want bool, failure string) Result {
	r := Result{Type: typ, Expected: prop}
	body := x.getBody()
	if !isObject(body) {
		r.Got = "response body is not an object"
		return r
	}
	_, found := templating.Get(body, prop)
	r.OK = found == want
	r.Got = failure
	if r.OK {
		r.Got = prop
	}
	return r
}

// header returns a response header as a string and whether it is set and
// non-empty (JavaScript truthiness).
func header(x *exchange, name string) (string, bool) {
	v, ok := x.resp.HeaderValue(name)
	if !ok {
		return "", false
	}
	s := templating.JSString(v)
	if l, isList := v.([]any); isList {
		return s, len(l) > 0
	}
	return s, s != ""
}

func hasHeader(x *exchange, v any) Result {
	name := templating.JSString(v)
	r := Result{Type: "hasHeader", Expected: name, Got: "response has no " + name + " header"}
	if _, ok := header(x, name); ok {
		r.OK, r.Got = true, name
	}
	return r
}

func headerEquals(x *exchange, v any) Result {
	name := templating.JSString(index(v, 0))
	want := index(v, 1)
	r := Result{Type: "header " + name + " values equals"}
	got, ok := header(x, name)
	if !ok {
		r.Expected = "response to have " + name + " header"
		r.Got = "response has no " + name + " header"
		return r
	}
	r.Expected, r.Got = templating.JSString(want), got
	wantText := ""
	if templating.Truthy(want) {
		wantText = templating.JSString(want)
	}
	r.OK = got == wantText
	return r
}

// index is v[i] in JavaScript for a list or a string, else Undefined.
func index(v any, i int) any {
	switch x := v.(type) {
	case []any:
		if i < len(x) {
			return x[i]
		}
	case string:
		if r := []rune(x); i < len(r) {
			return string(r[i])
		}
	}
	return templating.Undefined
}

// equals renders String(template(String(element))) for each element and
// passes when all are the same.
type equals struct {
	elems []*templating.Template
}

func newEquals(v any) (check, error) {
	var raw []any
	switch x := v.(type) {
	case []any:
		raw = x
	case string:
		for _, r := range x {
			raw = append(raw, string(r))
		}
	case map[string]any:
		raw = sortedValues(x)
	}
	c := equals{}
	for _, e := range raw {
		t, err := templating.Compile(templating.JSString(e))
		if err != nil {
			return nil, err
		}
		c.elems = append(c.elems, t)
	}
	return c, nil
}

func sortedValues(m map[string]any) []any {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	vals := make([]any, len(keys))
	for i, k := range keys {
		vals[i] = m[k]
	}
	return vals
}

func (c equals) run(x *exchange) Result {
	values := make([]string, len(c.elems))
	ok := len(values) > 0
	for i, t := range c.elems {
		values[i] = templating.JSString(t.Render(x.sc))
		ok = ok && values[i] == values[0]
	}
	return Result{OK: ok, Type: "equals", Expected: "all values to be equal", Got: strings.Join(values, ", ")}
}

// matchesRegexp tests the body, as String(body), against a regexp.
type matchesRegexp struct {
	expr *templating.Template
	re   *regexp.Regexp // when expr is static
}

func newMatchesRegexp(v any) (check, error) {
	t, err := templating.Compile(templating.JSString(v))
	if err != nil {
		return nil, err
	}
	c := matchesRegexp{expr: t}
	if t.IsStatic() {
		c.re, err = capture.CompileRegexp(t.Source(), "")
	}
	return c, err
}

func (c matchesRegexp) run(x *exchange) Result {
	r := Result{Type: "matchesRegexp", Expected: "true"}
	re := c.re
	if re == nil {
		src := c.expr.Render(x.sc)
		if templating.IsUndefined(src) {
			src = ""
		}
		var err error
		if re, err = capture.CompileRegexp(templating.JSString(src), ""); err != nil {
			r.Got = err.Error()
			return r
		}
	}
	if body, ok := x.getBody().(string); ok {
		r.OK = re.MatchString(body)
	} else {
		r.OK = re.MatchString(templating.JSString(x.getBody()))
	}
	r.Got = strconv.FormatBool(r.OK)
	return r
}

// cdnHit looks for a CDN cache-status header reporting a hit (or a miss).
type cdnHit struct{ want bool }

var cacheHeaders = []string{"cf-cache-status", "x-cache", "x-vercel-cache"}

func (c cdnHit) run(x *exchange) Result {
	r := Result{Type: "cdnHit", Expected: "a cache header indicating a cache miss", Got: "cache status header not found"}
	prefixes := []string{"miss"}
	if c.want {
		r.Expected = "a cache header indicating a cache hit"
		prefixes = []string{"hit", "stale"}
	}
	for _, h := range cacheHeaders {
		v, ok := header(x, h)
		if !ok {
			continue
		}
		for _, p := range prefixes {
			if strings.HasPrefix(strings.ToLower(v), p) {
				r.OK, r.Got = true, h+" is "+v
			}
		}
	}
	return r
}
