package threshold

import (
	"errors"
	"fmt"
	"strings"
)

// tagFilter is what k6's tag filter after a metric's name asks for:
// http_req_duration{name:GET /items,expected_response:true}.
type tagFilter struct {
	endpoint string // Surge's endpoints are k6's name tag
	ok       bool   // expected_response:true: the requests that did not fail
}

// parseTags reads k6's tag filter after its opening brace. k6 reads
// metric_name{tag_key:tag_value,...}: tags separated by commas, in any
// order, each cut at its first colon, key and value trimmed of spaces
// and quotes. A comma that does not start a key and its colon belongs to
// the value before it, so that an endpoint's name may hold commas, as it
// could when the filter took one tag.
func parseTags(tags string) (tagFilter, error) {
	body, closed := strings.CutSuffix(strings.TrimSpace(tags), "}")
	if !closed || strings.ContainsAny(body, "{}") {
		return tagFilter{}, errors.New("expected tags in one pair of braces, such as {name:<endpoint>} or {expected_response:true}")
	}
	var f tagFilter
	seen := map[string]string{}
	for _, tag := range splitTags(body) {
		key, value, hasValue := strings.Cut(tag, ":")
		key, value = trimTag(key), trimTag(value)
		if !hasValue {
			return tagFilter{}, fmt.Errorf("tag %q has no value: expected key:value, such as name:<endpoint>", trimTag(tag))
		}
		if prev, twice := seen[key]; twice && prev != value {
			return tagFilter{}, fmt.Errorf("tag %q given twice, as %q and %q", key, prev, value)
		}
		seen[key] = value
		if err := f.set(key, value); err != nil {
			return tagFilter{}, err
		}
	}
	return f, nil
}

// splitTags cuts a filter's body at the commas that start a tag.
func splitTags(body string) []string {
	var out []string
	start := 0
	for i := range len(body) {
		if body[i] == ',' && startsTag(body[i+1:]) {
			out = append(out, body[start:i])
			start = i + 1
		}
	}
	return append(out, body[start:])
}

// startsTag says whether s starts with a tag's key (letters, digits and
// underscores, as k6's tags are named) and its colon.
func startsTag(s string) bool {
	key, _, ok := strings.Cut(s, ":")
	key = trimTag(key)
	return ok && key != "" && !strings.ContainsFunc(key, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_')
	})
}

func trimTag(s string) string { return strings.Trim(strings.TrimSpace(s), `"'`) }

// set takes one tag: the endpoint's name, or expected_response.
func (f *tagFilter) set(key, value string) error {
	switch key {
	case "name", "endpoint":
		switch {
		case value == "":
			return errors.New("empty endpoint name in the tag")
		case len(value) > maxEndpoint:
			return fmt.Errorf("endpoint name longer than %d bytes", maxEndpoint)
		case strings.ContainsFunc(value, func(r rune) bool { return r < ' ' || r == 0x7f }):
			return errors.New("control character in the endpoint name") // as in a scope: String could not write it back
		}
		f.endpoint = value
		return nil
	case "expected_response":
		return f.setExpected(value)
	}
	return fmt.Errorf("tag %q: Surge filters by endpoint ({name:<endpoint>}) and by expected_response:true only", key)
}

// setExpected takes k6's expected_response tag. Surge records the
// latency of the requests that did not fail beside that of every
// request, not the latency of the failed ones alone.
func (f *tagFilter) setExpected(value string) error {
	switch value {
	case "true":
		f.ok = true
		return nil
	case "false":
		return errors.New("expected_response:false: Surge records the latency of every request and of the requests " +
			"that did not fail (expected_response:true), not of the failed ones alone")
	}
	return fmt.Errorf("expected_response:%q: k6's values are true and false", value)
}

// fits refuses a filter the metric cannot take.
func (f tagFilter) fits(metric string) error {
	switch {
	case f.ok && metric != "http_req_duration":
		return fmt.Errorf("expected_response:true filters http_req_duration only (the latency of the requests that did not fail), not %s", metric)
	case metric == "vus":
		return errors.New("vus is not measured per endpoint")
	}
	return nil
}
