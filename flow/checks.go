package flow

import (
	"fmt"
	"net/url"
	"strings"
	"sync"

	"github.com/surge-dev/surge/capture"
	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/expect"
	"github.com/surge-dev/surge/scenario"
	"github.com/surge-dev/surge/templating"
)

// checks is what runs after a response: captures and matches, then the
// expect plugin's checks (which see the new variables), as Artillery
// orders them.
type checks struct {
	captures      *capture.Set
	strictDefault bool
	expects       *expect.Set
	perType       *typeCounters // plugins.expect.ok.<type> and failed.<type>
	okAll         counter
	failAll       counter
	captureFail   counter
	asErrors      *stepError // reportFailuresAsErrors: how a failed check fails the VU
	onlyNames     bool       // useOnlyRequestNames
	name          string
	keep          engine.Keep // of the response, for the lean path
}

func (p *Program) checks(r *scenario.Request, pos scenario.Pos) *checks {
	c := &checks{strictDefault: true, name: r.Name}
	if d := p.script.Config.Defaults.StrictCapture; d != nil {
		c.strictDefault = *d
	}
	p.compileCaptures(c, r)
	p.compileExpects(c, r, pos)
	if c.captures == nil && c.expects == nil {
		return nil
	}
	// The expect plugin's checks and a header capture read the head's
	// fields; body captures need its map only where the lean client
	// builds it anyway.
	c.keep = engine.KeepBody
	if c.expects != nil || c.captures.ReadsHeaders() {
		c.keep = engine.KeepAll
	}
	return c
}

// matchesHaveValues refuses a match entry with neither value nor as:
// the capture's own error ("needs as") named the wrong key.
func matchesHaveValues(specs []capture.Spec) error {
	for i, s := range specs {
		if !s.HasValue && s.As == "" {
			return fmt.Errorf("entry %d needs value: what the response must give (with as alone it is a capture)", i+1)
		}
	}
	return nil
}

func (p *Program) compileCaptures(c *checks, r *scenario.Request) {
	var specs []capture.Spec
	for _, raw := range []struct {
		v   any
		key string
	}{{r.Capture, "capture"}, {r.Match, "match"}} {
		if raw.v == nil {
			continue
		}
		ss, err := capture.ParseSpecs(raw.v)
		if err == nil && raw.key == "match" {
			err = matchesHaveValues(ss)
		}
		if err != nil {
			p.errorf(r.At[raw.key], "%s: %v", raw.key, err)
			return
		}
		p.headerCase(r.At[raw.key], raw.key, ss)
		specs = append(specs, ss...)
	}
	if len(specs) == 0 {
		return
	}
	set, err := capture.NewSet(specs...)
	if err != nil {
		key := "capture"
		if r.Capture == nil { // a match alone: the error is its
			key = "match"
		}
		p.errorf(r.At[key], "%s: %v", key, err)
		return
	}
	c.captures = set
	c.captureFail = newCounter("errors." + errCaptureCode)
}

// headerCase warns of a header capture named with capitals: Artillery
// looks the name up as written among Node's lower-case names, so there
// it never finds one and the capture fails (the VU with it, unless the
// capture is not strict). Surge matches any case.
func (p *Program) headerCase(pos scenario.Pos, key string, specs []capture.Spec) {
	for _, s := range specs {
		if n := s.Header; n != strings.ToLower(n) && !strings.Contains(n, "{{") {
			p.warnf(pos, "%s header %q: Artillery never finds a header named with capitals (Node gives the names in lower case), so there it always fails; Surge matches any case: write %q",
				key, n, strings.ToLower(n))
		}
	}
}

// compileExpects compiles the expect list; without the expect plugin
// Artillery ignores it, and so does Surge.
func (p *Program) compileExpects(c *checks, r *scenario.Request, pos scenario.Pos) {
	plugin := p.script.Config.Plugins.Expect
	if plugin == nil {
		p.expectIgnored(r)
		return
	}
	var specs []expect.Spec
	if r.Expect != nil {
		var err error
		if specs, err = expect.ParseSpecs(r.Expect); err != nil {
			p.errorf(r.At["expect"], "expect: %v", err)
			return
		}
		p.expectItems(r)
		p.expectValues(r, specs)
	}
	if len(specs) == 0 && plugin.ExpectDefault200 {
		specs = []expect.Spec{{Type: "statusCode", Value: 200}}
	}
	if len(specs) == 0 {
		return
	}
	set, err := expect.Compile(specs)
	if err != nil {
		p.errorf(r.At["expect"], "expect: %v", err)
		return
	}
	for _, u := range set.Unsupported() {
		p.warnf(r.At["expect"], "expect: %s is not supported and is skipped", u)
	}
	c.expects = set
	c.onlyNames = plugin.UseOnlyRequestNames
	if plugin.ReportFailuresAsErrors {
		c.asErrors = p.newStepError("Failed expectations for request "+p.expectErrorName(r, c.onlyNames), "")
	}
	c.okAll, c.failAll = newCounter("plugins.expect.ok"), newCounter("plugins.expect.failed")
	c.perType = &typeCounters{}
	for _, s := range specs {
		if s.Type != "headerEquals" { // counted under the header's name
			c.perType.get(true, s.Type)
			c.perType.get(false, s.Type)
		}
	}
}

// expectErrorName is how Artillery's expect plugin names a request in
// the error it counts with reportFailuresAsErrors: its name with
// useOnlyRequestNames, else the URL it was sent to, the target in front
// of a path (a test's counters named only the path, so an ensure check
// on Artillery's name found nothing). A templated URL is named as
// written, one counter for the step where Artillery makes one for each
// rendered URL.
func (p *Program) expectErrorName(r *scenario.Request, onlyNames bool) string {
	if onlyNames && r.Name != "" {
		return r.Name
	}
	u := r.URL
	if strings.HasPrefix(u, "/") {
		u = p.target + u
	}
	return hidePassword(u)
}

// hidePassword masks the password of a URL's user information, which
// must not reach the results.
func hidePassword(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	if _, has := u.User.Password(); !has {
		return raw
	}
	u.User = url.UserPassword(u.User.Username(), "xxxxx")
	return u.String()
}

// typeCounters are the per-type expect counters. A result's type is
// mostly its check's name, but headerEquals counts under "header <name>
// values equals", the name as rendered, so counters are also made as
// results come.
type typeCounters struct {
	byName sync.Map // counter name -> counter
}

func (tc *typeCounters) get(ok bool, typ string) counter {
	name := "plugins.expect.failed." + typ
	if ok {
		name = "plugins.expect.ok." + typ
	}
	if c, found := tc.byName.Load(name); found {
		return c.(counter)
	}
	c, _ := tc.byName.LoadOrStore(name, newCounter(name))
	return c.(counter)
}

// run applies the captures and checks to a response.
func (c *checks) run(st *state, resp *engine.Response, rs *requestStep) error {
	r := capture.NewResponse(resp.Status, resp.Header, resp.Body)
	failed, why := false, ""
	if c.captures != nil && resp.Truncated {
		// Half a body would parse as garbage, or not at all.
		failed, why = true, fmt.Sprintf("response body over %d bytes was cut: nothing captured", len(resp.Body))
	} else if c.captures != nil {
		out := c.captures.Run(r, st, c.strictDefault)
		failed = out.Failed
		if !failed {
			for _, v := range out.Values {
				templating.SetPath(st.vars, v.Name, v.Value)
			}
		}
	}
	var err error
	if c.expects != nil {
		err = c.expect(st, r, rs)
	}
	if failed {
		return &stepError{Code: errCaptureCode, Counter: c.captureFail, Detail: why}
	}
	return err
}

// expect runs the checks, counts them under Artillery's names and
// reports the failures.
func (c *checks) expect(st *state, r *capture.Response, rs *requestStep) error {
	results := c.expects.Check(nil, r, st)
	anyFailed := false
	for _, res := range results {
		if res.OK {
			c.okAll.add(st.vu, 1)
			c.perType.get(true, res.Type).add(st.vu, 1)
			continue
		}
		anyFailed = true
		c.failAll.add(st.vu, 1)
		c.perType.get(false, res.Type).add(st.vu, 1)
		st.prog.report.printf("expect: %s %s: %s", rs.method, c.requestName(rs), res)
	}
	if anyFailed && c.asErrors != nil {
		return c.asErrors
	}
	return nil
}

// requestName is how expect reports name a request: its path, or its
// name with useOnlyRequestNames.
func (c *checks) requestName(rs *requestStep) string {
	if c.onlyNames && c.name != "" {
		return c.name
	}
	if u, err := url.Parse(rs.label); err == nil && strings.HasPrefix(rs.label, "http") {
		return u.Path
	}
	return rs.label
}
