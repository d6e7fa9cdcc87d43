package scenario

import (
	"fmt"
	"strings"

	yaml "go.yaml.in/yaml/v4"
)

// requestMethods are the flow step keys that send a request.
var requestMethods = []string{"get", "post", "put", "patch", "delete", "head", "options"}

func (d *decoder) scenario(n *yaml.Node, what string) Scenario {
	s := Scenario{Pos: posOf(n)}
	hasFlow := false
	d.mapping(n, what, map[string]field{
		"name":   func(_, v *yaml.Node) { s.Name = d.scalarText(v, what+".name") },
		"weight": func(_, v *yaml.Node) { s.Weight = int(d.integer(v, what+".weight")) },
		"flow": func(_, v *yaml.Node) {
			hasFlow = true
			s.Flow = d.flow(v, what+".flow")
		},
	})
	if resolve(n).Kind == yaml.MappingNode && !hasFlow {
		d.errorf(n, "%s: missing flow: expected a list of steps such as - get: {url: \"/\"}", what)
	}
	return s
}

// flow reads a list of steps. Nested lists are flattened, as Artillery
// does, so a YAML alias to a list of common steps can be spliced in.
func (d *decoder) flow(n *yaml.Node, what string) []Step {
	return d.nestedFlow(n, what, 0)
}

// maxFlowNesting stops a list that contains itself through an alias.
const maxFlowNesting = 16

func (d *decoder) nestedFlow(n *yaml.Node, what string, depth int) []Step {
	if depth > maxFlowNesting {
		d.errorf(n, "%s: steps nested more than %d lists deep (an alias that contains itself?)", what, maxFlowNesting)
		return nil
	}
	var steps []Step
	d.sequence(n, what, func(i int, item *yaml.Node) {
		if item.Kind == yaml.SequenceNode {
			steps = append(steps, d.nestedFlow(item, fmt.Sprintf("%s[%d]", what, i), depth+1)...)
			return
		}
		if st, ok := d.step(item, fmt.Sprintf("%s[%d]", what, i)); ok {
			steps = append(steps, st)
		}
	})
	return steps
}

func (d *decoder) step(n *yaml.Node, what string) (Step, bool) {
	st := Step{Pos: posOf(n)}
	fields := map[string]field{
		"think": func(_, v *yaml.Node) { st.Think = &Think{Duration: d.duration(v, what+".think")} },
	}
	for _, m := range requestMethods {
		fields[m] = func(_, v *yaml.Node) { st.Request = d.request(v, strings.ToUpper(m), what+"."+m) }
	}
	if n.Kind == yaml.MappingNode && len(n.Content) != 2 {
		d.errorf(n, "%s: a step has exactly one action (get, post, think, …), got %d keys", what, len(n.Content)/2)
		return st, false
	}
	d.mapping(n, what, fields)
	return st, st.Request != nil || st.Think != nil
}

func (d *decoder) request(n *yaml.Node, method, what string) *Request {
	r := &Request{Method: method}
	hasURL := false
	d.mapping(n, what, map[string]field{
		"url":     func(_, v *yaml.Node) { r.URL, hasURL = d.str(v, what+".url"), true },
		"name":    func(_, v *yaml.Node) { r.Name = d.scalarText(v, what+".name") },
		"headers": func(_, v *yaml.Node) { r.Headers = d.headers(v, what+".headers") },
		"json":    func(_, v *yaml.Node) { r.JSON, r.HasJSON = d.value(v, what+".json"), true },
		"body":    func(_, v *yaml.Node) { r.Body, r.HasBody = d.scalarText(v, what+".body"), true },
	})
	if resolve(n).Kind == yaml.MappingNode && !hasURL {
		d.errorf(n, "%s: missing url", what)
	}
	if r.HasJSON && r.HasBody {
		d.errorf(n, "%s: json and body cannot both be set", what)
	}
	return r
}
