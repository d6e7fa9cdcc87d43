package capture

import (
	"fmt"
	"sort"
	"strings"

	"github.com/surge-dev/surge/internal/suggest"
)

// Spec is one entry of a request's capture (or legacy match) list.
type Spec struct {
	JSON   string // JSONPath on the parsed body
	Regexp string // JavaScript regular expression on the raw body
	Header string // response header name

	As       string // variable to set; a dotted name sets a nested value
	Group    any    // regexp group: a number or a group name; nil for the whole match
	Flags    string // regexp flags
	Strict   *bool  // nil: inherit config.defaults.strictCapture (default true)
	Multiple *bool  // json: false returns every match instead of one at random

	// Value, when HasValue, makes the entry a match: the extracted value
	// must equal the rendered Value (JavaScript ===), or the VU fails.
	Value    any
	HasValue bool

	Selector string // CSS selector on an HTML body (cheerio's syntax)
	Attr     string // selector: the attribute captured
	Index    any    // selector: which match: a number, "last" or "random"; the first when nil
	XPath    string // XPath on an XML body

	// Transform (a JavaScript expression) is not supported, kept to
	// explain the error.
	Transform any
}

// ParseSpecs reads a capture or match list as decoded from YAML or JSON:
// one map or a list of maps.
func ParseSpecs(v any) ([]Spec, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case map[string]any:
		s, err := parseSpec(x)
		if err != nil {
			return nil, err
		}
		return []Spec{s}, nil
	case []any:
		specs := make([]Spec, 0, len(x))
		for i, e := range x {
			m, ok := e.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("capture %d: want a map, got %T", i+1, e)
			}
			s, err := parseSpec(m)
			if err != nil {
				return nil, fmt.Errorf("capture %d: %w", i+1, err)
			}
			specs = append(specs, s)
		}
		return specs, nil
	}
	return nil, fmt.Errorf("capture: want a map or a list, got %T", v)
}

func parseSpec(m map[string]any) (Spec, error) {
	var s Spec
	strs := map[string]*string{
		"json": &s.JSON, "regexp": &s.Regexp, "header": &s.Header, "as": &s.As,
		"flags": &s.Flags, "selector": &s.Selector, "xpath": &s.XPath, "attr": &s.Attr,
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if err := s.set(strs, k, m[k]); err != nil {
			return Spec{}, err
		}
	}
	return s, nil
}

func (s *Spec) set(strs map[string]*string, key string, v any) error {
	if dst, ok := strs[key]; ok {
		str, ok := v.(string)
		if !ok {
			return fmt.Errorf("%s: want a string, got %T", key, v)
		}
		*dst = str
		return nil
	}
	switch key {
	case "group":
		s.Group = v
	case "index":
		s.Index = v
	case "value":
		s.Value, s.HasValue = v, true
	case "transform":
		s.Transform = v
	case "strict", "multiple":
		b, ok := v.(bool)
		if !ok {
			return fmt.Errorf("%s: want true or false, got %T", key, v)
		}
		if key == "strict" {
			s.Strict = &b
		} else {
			s.Multiple = &b
		}
	default:
		// A misspelled key (strcit: false) was ignored, and the capture
		// kept its default without a word.
		return unknownKey(key)
	}
	return nil
}

// specKeys are the keys a capture or match spec may hold.
var specKeys = []string{"as", "attr", "flags", "group", "header", "index", "json", "multiple", "regexp",
	"selector", "strict", "transform", "value", "xpath"}

func unknownKey(key string) error {
	if near := suggest.Nearest(key, specKeys); near != "" {
		return fmt.Errorf("unknown key %q; did you mean %q?", key, near)
	}
	return fmt.Errorf("unknown key %q (a capture has %s)", key, strings.Join(specKeys, ", "))
}
