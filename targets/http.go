package targets

import (
	"strings"
	"unicode/utf8"
)

// httpTargets reads the HTTP format. Outside a target, blank lines and
// comments are skipped; inside one, a comment is skipped and a blank
// line ends it. A request line always starts a new target, also right
// after another's headers (a header name holds no space, so the two
// cannot be confused).
func (p *parser) httpTargets() ([]Target, error) {
	var ts []Target
	var cur *Target
	done := false // cur has its body: only a new target may follow
	for i, raw := range p.lines {
		n, line := i+1, strings.TrimSpace(raw)
		switch {
		case !utf8.ValidString(line):
			return nil, p.errorf(n, "the line is not UTF-8 text")
		case isComment(line):
		case line == "":
			cur, done = nil, false
		case isRequestLine(line):
			t, err := p.requestLine(n, line)
			if err != nil {
				return nil, err
			}
			ts = append(ts, t)
			cur, done = &ts[len(ts)-1], false
		case cur == nil || done:
			return nil, p.errorf(n, "%q: want a request line (METHOD URL) here", clip(line))
		case strings.HasPrefix(line, "@"):
			if err := p.bodyLine(n, line, cur); err != nil {
				return nil, err
			}
			done = true
		default:
			if err := p.headerLine(n, line, cur); err != nil {
				return nil, err
			}
		}
	}
	return ts, nil
}

// isRequestLine reports whether line starts with a method and a space.
func isRequestLine(line string) bool {
	method, _, ok := strings.Cut(line, " ")
	return ok && isMethod(method)
}

func (p *parser) requestLine(n int, line string) (Target, error) {
	method, rawURL, _ := strings.Cut(line, " ")
	rawURL = strings.TrimSpace(rawURL)
	if err := checkURL(rawURL); err != nil {
		return Target{}, p.errorf(n, "%v", err)
	}
	return Target{Method: method, URL: rawURL, Line: n}, nil
}

func (p *parser) headerLine(n int, line string, t *Target) error {
	name, value, ok := strings.Cut(line, ":")
	name, value = strings.TrimSpace(name), strings.TrimSpace(value)
	if !ok || name == "" || value == "" {
		return p.errorf(n, "%q: want a header (Name: value), an @body-file line or a blank line", clip(line))
	}
	if err := checkHeader(name, value); err != nil {
		return p.errorf(n, "%v", err)
	}
	t.addHeader(name, value)
	return nil
}

// bodyLine reads the file an "@path" line names as the target's body.
func (p *parser) bodyLine(n int, line string, t *Target) error {
	path := strings.TrimSpace(line[1:])
	if path == "" {
		return p.errorf(n, "@ names no body file")
	}
	if p.read == nil {
		return p.errorf(n, "@%s: body files are not allowed here", path)
	}
	body, err := p.read(path)
	if err != nil {
		return p.errorf(n, "body file: %v", err)
	}
	t.Body, t.BodyFile = body, path
	return nil
}

// clip shortens a line quoted in an error.
func clip(s string) string {
	const most = 80
	if len(s) <= most {
		return s
	}
	return s[:most] + "…"
}
