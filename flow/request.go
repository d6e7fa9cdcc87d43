package flow

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/flow/filtrex"
	"github.com/surge-dev/surge/scenario"
	"github.com/surge-dev/surge/templating"
	"github.com/surge-dev/surge/transport"
)

// requestStep sends one request. Templates are compiled once; each run
// renders them against the VU's variables.
type requestStep struct {
	method     string
	label      string // the url as written, for reports
	url        *templating.Template
	urls       urlParser
	headers    []headerTmpl
	ua         headerTmpl
	accept     []string // Surge's Accept-Encoding; nil when the step sets its own or says gzip: false
	body       bodyBuilder
	qs         []fieldTmpl
	hasQS      bool
	cookies    []headerTmpl
	ownJar     bool // the jar goes with this request even while it is off (see exchange)
	auth       *[2]headerTmpl
	checks     *checks
	ifTrue     *filtrex.Expr
	prob       float64 // <0: always
	endpoint   int
	invalid    *stepError
	refused    *stepError // a GET or HEAD with a body: never sent (see bodyRefused)
	follow     bool       // follow redirects (see redirect.go)
	tooMany    *stepError // ERR_TOO_MANY_REDIRECTS
	apdex      *apdex     // nil unless the apdex plugin is on
	cookieErrs *counter
}

// headerTmpl is a header (or cookie) whose value may be templated.
type headerTmpl struct {
	name   string
	value  *templating.Template
	static bool
}

func (h headerTmpl) render(st *state) (string, bool) {
	if h.static {
		return h.value.Source(), true
	}
	v := h.value.Render(st)
	if templating.IsUndefined(v) {
		return "", false
	}
	return templating.JSString(v), true
}

// urlPos is where the step's url (or uri) was written, for the errors
// of its template; the step's own position when it has none.
func urlPos(r *scenario.Request, step scenario.Pos) scenario.Pos {
	for _, k := range []string{"url", "uri"} {
		if pos, ok := r.At[k]; ok {
			return pos
		}
	}
	return step
}

func (p *Program) request(t *engine.Test, st scenario.Step) step {
	r := st.Request
	at := urlPos(r, st.Pos)
	rs := &requestStep{method: r.Method, label: r.URL, url: p.compile(r.URL, at),
		endpoint: t.Endpoint(p.endpoints.Name(r)), prob: -1, invalid: p.newStepError("EINVALIDURL", "")}
	p.checkURL(r.URL, at)
	rs.urls = newURLParser(p.target, rs.url)
	var null *scenario.Header
	rs.headers, rs.ua, null = p.headerList(r, st.Pos)
	rs.accept = acceptEncoding(r, rs.headers)
	rs.body = p.body(r, rs.headers, st.Pos)
	rs.refused = p.refusal(r, rs.body != nil, null, st.Pos)
	rs.qs, rs.hasQS = p.fieldList(r.QS, r.At["qs"]), r.HasQS
	rs.cookies = p.cookieList(r, st.Pos)
	rs.ownJar = len(rs.cookies) > 0 || p.script.Config.Defaults.HasCookies
	if p.cookieErrs == nil {
		c := newCounter("errors.cookie_parse_error_invalid_cookie")
		p.cookieErrs = &c
	}
	rs.cookieErrs = p.cookieErrs
	if r.Auth != nil {
		rs.auth = &[2]headerTmpl{p.header("user", r.Auth.User, st.Pos), p.header("pass", r.Auth.Pass, st.Pos)}
	}
	if r.Probability != nil {
		rs.prob = *r.Probability
	}
	rs.ifTrue = p.ifTrue(r)
	rs.checks = p.checks(r, st.Pos)
	rs.follow = r.FollowRedirect == nil || *r.FollowRedirect
	rs.tooMany = p.newStepError(errTooManyRedirects, "")
	rs.apdex = p.apdex
	return rs
}

// refusal is the failure of a step that Artillery's HTTP client refuses
// to send, or nil.
func (p *Program) refusal(r *scenario.Request, hasBody bool, null *scenario.Header, pos scenario.Pos) *stepError {
	switch {
	case null != nil:
		return p.nullHeaderRefused(*null)
	case bodyConflict(r) != "":
		return p.bodiesRefused(bodyConflict(r), pos)
	case hasBody && (r.Method == http.MethodGet || r.Method == http.MethodHead):
		return p.bodyRefused(r.Method, pos)
	}
	return nil
}

// bodyConflict names the body options of a step that Artillery hands its
// client together, which it refuses: json, form and body exclude each
// other, and formData is sent as body. Artillery drops a body beside json
// or formData, so those pairs are sent (json, formData win).
func bodyConflict(r *scenario.Request) string {
	var set []string
	if r.HasJSON {
		set = append(set, "json")
	}
	if r.HasForm {
		set = append(set, "form")
	}
	if len(r.FormData) > 0 {
		set = append(set, "formData")
	}
	if r.HasBody && !r.HasJSON && len(r.FormData) == 0 {
		set = append(set, "body")
	}
	if len(set) < 2 {
		return ""
	}
	return strings.Join(set, " and ")
}

// bodiesRefused is Artillery 2.0.34 with a step of two bodies that its
// client refuses together (form with json, body or formData; json with
// formData): the VU fails with errors.ERR_GOT_REQUEST_ERROR before
// anything is sent. Surge sent one of them; now it fails the same way.
func (p *Program) bodiesRefused(both string, pos scenario.Pos) *stepError {
	p.warnf(pos, "%s in one step are never sent: Artillery's HTTP client refuses them together and fails the VU (errors.ERR_GOT_REQUEST_ERROR), and so does Surge; keep one", both)
	return p.newStepError("ERR_GOT_REQUEST_ERROR", "the body options "+both+" exclude each other")
}

// bodyRefused is what Artillery 2.0.34 does with a GET or HEAD step that
// has a json, body, form or formData: its HTTP client (got) refuses to
// send it, and the VU fails with errors.ERR_GOT_REQUEST_ERROR before
// anything is sent. Surge does the same, and says so before the test.
func (p *Program) bodyRefused(method string, pos scenario.Pos) *stepError {
	p.warnf(pos, "%s with a body is never sent: Artillery's HTTP client refuses it and fails the VU (errors.ERR_GOT_REQUEST_ERROR), and so does Surge; send the body with post, put or patch, or the values in qs", method)
	return p.newStepError("ERR_GOT_REQUEST_ERROR", "The `"+method+"` method cannot be used with a body")
}

// nullHeaderRefused is Artillery 2.0.34 with a header written without a
// value: Node refuses to send it (Invalid value "null" for header) and
// the VU fails with errors.ERR_GOT_REQUEST_ERROR. So does Surge, and says
// so before the test.
func (p *Program) nullHeaderRefused(h scenario.Header) *stepError {
	p.warnf(h.Pos, "header %s has no value: Artillery's HTTP client refuses it and fails the VU (errors.ERR_GOT_REQUEST_ERROR), and so does Surge; give it a value, or leave the header out", h.Name)
	return p.newStepError("ERR_GOT_REQUEST_ERROR", fmt.Sprintf("Invalid value \"null\" for header %q", h.Name))
}

// checkURL reports, at load, a URL that can never work.
func (p *Program) checkURL(u string, pos scenario.Pos) {
	switch {
	case strings.HasPrefix(u, "/"):
		if p.target == "" {
			p.errorf(pos, "url %q is relative but no target is set (config.target or --target)", u)
		}
	case strings.HasPrefix(u, "{{"):
	case !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://"):
		p.errorf(pos, "url %q: expected a path starting with / or an absolute http(s) URL", Redact(u))
	case !strings.Contains(u, "{{"):
		if err := CheckBaseURL(u); err != nil {
			p.errorf(pos, "url %v", err)
		}
	}
}

// ifTrue compiles the condition. Artillery runs a step whose condition
// does not parse, so that only warns.
func (p *Program) ifTrue(r *scenario.Request) *filtrex.Expr {
	if !r.HasIfTrue {
		return nil
	}
	e, err := filtrex.Compile(r.IfTrue)
	if err != nil {
		p.warnf(r.At["ifTrue"], "ifTrue %q does not parse (%v): the step always runs, as in Artillery", r.IfTrue, err)
		return nil
	}
	return e
}

func (p *Program) header(name, value string, pos scenario.Pos) headerTmpl {
	t := p.compile(value, pos)
	return headerTmpl{name: name, value: t, static: t.IsStatic()}
}

// headerList merges the default headers with the step's (the step wins;
// names are lower case, as Artillery sends them). The user-agent is kept
// apart: Go's client only sees it under its canonical name.
func (p *Program) headerList(r *scenario.Request, pos scenario.Pos) ([]headerTmpl, headerTmpl, *scenario.Header) {
	merged := map[string]int{}
	var list []scenario.Header
	for _, h := range append(append([]scenario.Header{}, p.script.Config.Defaults.Headers...), r.Headers...) {
		if i, ok := merged[h.Name]; ok {
			list[i] = h
			continue
		}
		merged[h.Name] = len(list)
		list = append(list, h)
	}
	ua := p.header("User-Agent", UserAgent, pos)
	var out []headerTmpl
	var null *scenario.Header
	for _, h := range list {
		if h.Null {
			null = &h
			continue
		}
		if h.Name == "user-agent" {
			ua = p.header("User-Agent", h.Value, pos)
			continue
		}
		out = append(out, p.header(h.Name, h.Value, pos))
	}
	return out, ua, null
}

// acceptEncoding is what a step sends as Accept-Encoding unless it sets
// the field itself or says gzip: false: what Artillery sends by default,
// under Artillery's lower-case name.
func acceptEncoding(r *scenario.Request, headers []headerTmpl) []string {
	if r.Gzip != nil && !*r.Gzip {
		return nil
	}
	for _, h := range headers {
		if strings.EqualFold(h.name, acceptEncodingName) {
			return nil
		}
	}
	return []string{transport.ScriptAcceptEncoding}
}

// acceptEncodingName is the lower-case field name, as Artillery sends it.
var acceptEncodingName = strings.ToLower("Accept-Encoding")

// cookieList merges config.defaults.cookie with the step's cookie map.
func (p *Program) cookieList(r *scenario.Request, pos scenario.Pos) []headerTmpl {
	var out []headerTmpl
	seen := map[string]int{}
	for _, c := range append(append([]scenario.Header{}, p.script.Config.Defaults.Cookies...), r.Cookies...) {
		h := p.header(c.Name, c.Value, pos)
		if i, ok := seen[c.Name]; ok {
			out[i] = h
			continue
		}
		seen[c.Name] = len(out)
		out = append(out, h)
	}
	return out
}

func (rs *requestStep) run(st *state) error {
	if !rs.enabled(st) {
		return nil
	}
	if rs.refused != nil {
		return rs.refused
	}
	sc := getScratch()
	defer putScratch(sc)
	if err := rs.fill(st, &sc.req, sc); err != nil {
		return err
	}
	return rs.sendFrom(st, &sc.req, sc)
}

// send sends a built request, then applies apdex, captures and checks
// to its last response.
func (rs *requestStep) send(st *state, req *http.Request) error {
	return rs.sendFrom(st, req, nil)
}

// sendFrom is send of a request that is sc's own (see wire.go) when sc is
// set.
func (rs *requestStep) sendFrom(st *state, req *http.Request, sc *scratch) error {
	resp, took, err := rs.exchange(st, req, sc)
	if err != nil {
		return err
	}
	rs.apdex.count(st.vu, took)
	if rs.checks != nil {
		return rs.checks.run(st, resp, rs)
	}
	return nil
}

// enabled applies probability and ifTrue. A condition that fails to
// evaluate lets the step run, as in Artillery. The roll comes from the
// run's own source (engine.VU.Rand), so a segmented test sends the steps
// a single run sends.
func (rs *requestStep) enabled(st *state) bool {
	if rs.prob >= 0 && !chance(rs.prob, st.vu.Rand().IntN(100)) {
		return false
	}
	if rs.ifTrue == nil {
		return true
	}
	v, err := rs.ifTrue.Eval(st.Lookup)
	return err != nil || filtrex.Truthy(v)
}

// chance says whether a step with probability prob (a percentage, 0 to
// 100) runs on a roll of 0 to 99: always at 100, never at 0. (A roll of
// 0 to 100 against ">= prob", as before, skipped one run in 101 at 100.)
func chance(prob float64, roll int) bool {
	return float64(roll) < prob
}

// build renders the request for this VU.
func (rs *requestStep) build(st *state) (*http.Request, error) {
	if rs.refused != nil {
		return nil, rs.refused
	}
	req := &http.Request{Header: make(http.Header, len(rs.headers)+2)}
	var sc scratch
	if err := rs.fill(st, req, &sc); err != nil {
		return nil, err
	}
	attachBody(req, sc.body)
	return req, nil
}

// fill renders the request into req, whose Header must be empty, all but
// its body: that is left in sc.body (nil for none), its Content-Type set.
// Header values are windows of sc.vals.
func (rs *requestStep) fill(st *state, req *http.Request, sc *scratch) error {
	u, err := rs.renderURL(st)
	if err != nil {
		return err
	}
	req.Method, req.URL, req.Host = rs.method, u, u.Host
	req.Proto, req.ProtoMajor, req.ProtoMinor = "HTTP/1.1", 1, 1
	for _, h := range rs.headers {
		if v, ok := h.render(st); ok {
			req.Header[h.name] = sc.value(v)
		}
	}
	if v, ok := rs.ua.render(st); ok {
		req.Header["User-Agent"] = sc.value(v)
	}
	if rs.accept != nil {
		req.Header[acceptEncodingName] = rs.accept // shared: no one writes to it
	}
	hostFromHeader(req)
	rs.setCookies(st, u)
	if rs.auth != nil {
		user, _ := rs.auth[0].render(st)
		pass, _ := rs.auth[1].render(st)
		req.SetBasicAuth(user, pass)
	}
	sc.body = nil
	if rs.body != nil {
		ctype, data := rs.body.build(st)
		if _, set := req.Header[contentType]; !set && data != nil && ctype != "" {
			// Header names stay lower case on the wire, as Artillery
			// sends them; Go writes map keys as they are.
			req.Header[contentType] = sc.value(ctype)
		}
		sc.body = data
	}
	return nil
}

func (rs *requestStep) renderURL(st *state) (*url.URL, error) {
	var u *url.URL
	if rs.urls.fixed != nil {
		c := *rs.urls.fixed
		u = &c
	} else {
		var err error
		if u, err = rs.urls.parse(rs.url.RenderString(st)); err != nil {
			return nil, &stepError{Code: rs.invalid.Code, Counter: rs.invalid.Counter, Detail: err.Error()}
		}
	}
	if rs.hasQS {
		u.RawQuery = renderQuery(rs.qs, st)
	}
	return u, nil
}

// setCookies puts the step's cookies into the VU's jar, as Artillery
// does: each name=value is read as a Set-Cookie field for u (so a value's
// ';' ends it, and what follows is an attribute).
func (rs *requestStep) setCookies(st *state, u *url.URL) {
	for _, c := range rs.cookies {
		v, _ := c.render(st)
		st.vu.Jar().Set(u, c.name+"="+v) //nolint:errcheck // Artillery's setCookieSync throws; nothing is kept either way
	}
}

// contentType is the lower-case header name; a variable, not a constant,
// because http.Header keys are normally canonical and linters say so.
var contentType = strings.ToLower("Content-Type")

// encodeQuery percent-encodes what a WHATWG URL parser would in a query
// (spaces, quotes, angle brackets, non-ASCII), so the request line stays
// valid and matches what Artillery sends.
func encodeQuery(q string) string {
	const hex = "0123456789ABCDEF"
	var b []byte
	for i := 0; i < len(q); i++ {
		c := q[i]
		if c > 0x20 && c < 0x7f && c != '"' && c != '<' && c != '>' && c != '\'' {
			if b != nil {
				b = append(b, c)
			}
			continue
		}
		if b == nil {
			b = append(make([]byte, 0, len(q)+8), q[:i]...)
		}
		b = append(b, '%', hex[c>>4], hex[c&15])
	}
	if b == nil {
		return q
	}
	return string(b)
}
