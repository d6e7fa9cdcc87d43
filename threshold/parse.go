package threshold

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/surge-dev/surge/alert"
	"github.com/surge-dev/surge/internal/decimal"
)

// MaxLength bounds a threshold's text, and maxEndpoint the endpoint's
// name in it, so that the threshold written back (String) fits too.
const (
	MaxLength   = 1024
	maxEndpoint = 512
)

// Error is a threshold that does not parse, at a column of its text.
type Error struct {
	Input string
	Col   int // 1-based, in characters
	Msg   string
}

func (e *Error) Error() string {
	return fmt.Sprintf("threshold %q: column %d: %s", e.Input, e.Col, e.Msg)
}

// parser reads one threshold; pos is a byte offset into in.
type parser struct {
	in  string
	pos int
}

func (p *parser) fail(at int, format string, args ...any) error {
	return &Error{Input: p.in, Col: utf8.RuneCountInString(p.in[:at]) + 1, Msg: fmt.Sprintf(format, args...)}
}

// Parse reads a threshold:
//
//	[scope ":"] aggregation op value ["over" window] ["abortOnFail"] ["delayAbortEval=" duration]
//
// The scope is an endpoint's name ("GET /items") or one of k6's metrics,
// optionally with its name tag (http_req_duration{name:GET /items}) and,
// for http_req_duration, expected_response:true (the requests that did
// not fail). The aggregation is p(N), avg, min, max, med or count
// (latency, or requests for count), the same after ok_ for the requests
// that did not fail (ok_p(95): k6's expected_response:true), rate (k6's
// http_req_failed: failed requests, a fraction or a percentage), or one
// of Surge's failure_rate, error_rate (percentages) and rps. Latencies
// are milliseconds unless a unit says otherwise (300ms, 1.5s).
func Parse(s string) (Threshold, error) {
	p := &parser{in: s}
	if len(s) > MaxLength {
		return Threshold{}, p.fail(MaxLength, "longer than %d bytes", MaxLength)
	}
	if !utf8.ValidString(s) {
		return Threshold{}, p.fail(0, "not valid UTF-8")
	}
	t := Threshold{Source: s}
	scope, bodyAt := splitScope(s)
	if trimmed := strings.TrimLeft(s, " \t"); bodyAt == 0 && strings.HasPrefix(trimmed, `"`) {
		return t, p.fail(len(s)-len(trimmed), "a quoted endpoint name must be a complete double-quoted string, followed by a colon")
	}
	k6 := k6Metric{}
	if bodyAt > 0 {
		var err error
		if k6, t.Metric.Endpoint, err = p.scope(scope); err != nil {
			return t, err
		}
	}
	p.pos = bodyAt
	if err := p.body(&t, k6); err != nil {
		return t, err
	}
	return t, p.options(&t)
}

// splitScope finds the last colon outside braces and quotes: the scope is
// before it, the body after (a body never holds a colon or a quote).
func splitScope(s string) (string, int) {
	depth, at, quoted := 0, -1, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case quoted && c == '\\':
			i++ // the escaped character
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '{':
			depth++
		case c == '}':
			depth--
		case c == ':' && depth <= 0: // a stray } does not hide the colon
			at = i
		}
	}
	if at < 0 {
		return "", 0
	}
	return s[:at], at + 1
}

func (p *parser) skipSpaces() {
	for p.pos < len(p.in) && (p.in[p.pos] == ' ' || p.in[p.pos] == '\t') {
		p.pos++
	}
}

// word reads up to the next space.
func (p *parser) word() (string, int) {
	p.skipSpaces()
	start := p.pos
	for p.pos < len(p.in) && p.in[p.pos] != ' ' && p.in[p.pos] != '\t' {
		p.pos++
	}
	return p.in[start:p.pos], start
}

// body reads aggregation, operator and value.
func (p *parser) body(t *Threshold, k6 k6Metric) error {
	p.skipSpaces()
	aggAt := p.pos
	agg, err := p.aggregation()
	if err != nil {
		return err
	}
	if err := p.bind(t, k6, agg, aggAt); err != nil {
		return err
	}
	p.skipSpaces()
	opAt := p.pos
	if t.Op = p.op(); t.Op == 0 {
		return p.fail(opAt, "expected an operator (<, <=, >, >=, ==, !=) after %s", agg)
	}
	valueText, valueAt := p.word()
	if valueText == "" {
		return p.fail(valueAt, "expected a value after %s", t.Op)
	}
	v, err := parseLimit(t, agg, valueText)
	if err != nil {
		return p.fail(valueAt, "%v", err)
	}
	t.Value = v
	return nil
}

// aggregation reads a name, or p(N).
func (p *parser) aggregation() (string, error) {
	start := p.pos
	for p.pos < len(p.in) && (p.in[p.pos] >= 'a' && p.in[p.pos] <= 'z' || p.in[p.pos] == '_') {
		p.pos++
	}
	name := p.in[start:p.pos]
	if name == "" {
		return "", p.fail(start, "expected an aggregation (p(N), avg, min, max, med, count, rate, failure_rate, error_rate, rps, "+
			"or ok_p(N), ok_avg, … for the requests that did not fail)")
	}
	if name == "p" || name == okPrefix+"p" {
		if n := p.percentileDigits(); n != "" {
			// p99 is Artillery's spelling (and surge capacity's --slo
			// takes it); k6 only reads p(99), which it means.
			p.pos += len(n)
			return name + "(" + n + ")", nil
		}
	}
	if name != "p" && name != okPrefix+"p" || p.pos >= len(p.in) || p.in[p.pos] != '(' {
		return name, nil
	}
	end := strings.IndexByte(p.in[p.pos:], ')')
	if end < 0 {
		return "", p.fail(p.pos, "p( without a closing parenthesis")
	}
	name = p.in[start : p.pos+end+1]
	p.pos += end + 1
	return name, nil
}

// percentileDigits is the number right after a bare p (p99, p99.9), or
// "" where none follows; it reads, and does not move past, it.
func (p *parser) percentileDigits() string {
	end := p.pos
	for end < len(p.in) && (p.in[end] >= '0' && p.in[end] <= '9' || p.in[end] == '.') {
		end++
	}
	return p.in[p.pos:end]
}

func (p *parser) op() Op {
	for _, c := range []struct {
		text string
		op   Op
	}{{"===", Equal}, {"==", Equal}, {"!=", NotEqual}, {"<=", LessOrEqual}, {">=", GreaterOrEqual}, {"<", Less}, {">", Greater}} {
		if strings.HasPrefix(p.in[p.pos:], c.text) {
			p.pos += len(c.text)
			return c.op
		}
	}
	return 0
}

// options reads what follows the value.
func (p *parser) options(t *Threshold) error {
	for {
		w, at := p.word()
		switch {
		case w == "":
			if t.DelayAbortEval > 0 && !t.AbortOnFail {
				return p.fail(at, "delayAbortEval without abortOnFail: nothing to delay")
			}
			return nil
		case w == "over" && t.Window == 0:
			d, dAt := p.word()
			var err error
			if t.Window, err = window(d); err != nil {
				return p.fail(dAt, "over: %v", err)
			}
		case w == "abortOnFail" && !t.AbortOnFail:
			t.AbortOnFail = true
		case strings.HasPrefix(w, "delayAbortEval=") && t.DelayAbortEval == 0:
			d, err := duration(strings.TrimPrefix(w, "delayAbortEval="))
			if err != nil || d <= 0 {
				return p.fail(at, "delayAbortEval: expected a positive duration such as 10s")
			}
			t.DelayAbortEval = d
		default:
			return p.fail(at, "unexpected %q (expected over <window>, abortOnFail or delayAbortEval=<duration>, each once)", w)
		}
	}
}

// window reads a window's length: whole seconds, Surge's resolution.
func window(s string) (time.Duration, error) {
	d, err := duration(s)
	if err != nil || d < time.Second || d%time.Second != 0 || d > alert.MaxEvaluationSpan {
		return 0, fmt.Errorf("expected a window of whole seconds from 1s to %v, such as 30s or 5m, got %q", alert.MaxEvaluationSpan, s)
	}
	return d, nil
}

// duration reads a Go duration or a number of seconds, in decimal:
// strconv alone would read over 0x1p3 as 8 seconds.
func duration(s string) (time.Duration, error) {
	if v, err := decimal.ParseFloat(s); err == nil && v >= 0 && v <= alert.MaxEvaluationSpan.Seconds() {
		return time.Duration(v * float64(time.Second)), nil
	}
	return time.ParseDuration(s)
}
