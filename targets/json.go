package targets

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// jsonTarget is one line of the JSON format. Body is base64 in the file;
// encoding/json decodes it into bytes.
type jsonTarget struct {
	Method *string             `json:"method"`
	URL    *string             `json:"url"`
	Header map[string][]string `json:"header"`
	Body   []byte              `json:"body"`
}

// jsonTargets reads the JSON format: one object a line; blank lines and
// comment lines are skipped.
func (p *parser) jsonTargets() ([]Target, error) {
	var ts []Target
	for i, raw := range p.lines {
		line := strings.TrimSpace(raw)
		if line == "" || isComment(line) {
			continue
		}
		t, err := p.jsonLine(i+1, line)
		if err != nil {
			return nil, err
		}
		ts = append(ts, t)
	}
	return ts, nil
}

func (p *parser) jsonLine(n int, line string) (Target, error) {
	dec := json.NewDecoder(strings.NewReader(line))
	dec.DisallowUnknownFields()
	var jt jsonTarget
	if err := dec.Decode(&jt); err != nil {
		return Target{}, p.errorf(n, "%s", jsonProblem(err))
	}
	if rest := strings.TrimSpace(line[dec.InputOffset():]); rest != "" {
		return Target{}, p.errorf(n, "%q after the target: one JSON object a line", clip(rest))
	}
	if jt.Method == nil || jt.URL == nil {
		return Target{}, p.errorf(n, `a target needs "method" and "url"`)
	}
	if !isMethod(*jt.Method) {
		return Target{}, p.errorf(n, "method %q: want upper-case letters", *jt.Method)
	}
	if err := checkURL(*jt.URL); err != nil {
		return Target{}, p.errorf(n, "%v", err)
	}
	t := Target{Method: *jt.Method, URL: *jt.URL, Line: n}
	if len(jt.Body) > 0 {
		t.Body = bytes.Clone(jt.Body)
	}
	for name, values := range jt.Header {
		for _, v := range values {
			if err := checkHeader(name, v); err != nil {
				return Target{}, p.errorf(n, "%v", err)
			}
			t.addHeader(name, v)
		}
	}
	return t, nil
}

// jsonProblem says what encoding/json found wrong in the words of the
// format rather than of Go's types ("cannot unmarshal string into Go
// struct field jsonTarget.header of type []string").
func jsonProblem(err error) string {
	var te *json.UnmarshalTypeError
	if !errors.As(err, &te) {
		return err.Error()
	}
	switch {
	case strings.HasPrefix(te.Field, "header"):
		return `"header": each value is a list of strings, as in {"header": {"Accept": ["text/plain"]}}`
	case te.Field == "body":
		return `"body": a string of base64`
	case te.Field == "method" || te.Field == "url":
		return fmt.Sprintf("%q: a string", te.Field)
	}
	return fmt.Sprintf("%q: a %s is not allowed there", te.Field, te.Value)
}
