package scenario

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	yaml "go.yaml.in/yaml/v4"
)

// requestMethods are the flow step keys that send a request.
var requestMethods = []string{"get", "post", "put", "patch", "delete", "head", "options"}

// jsAlternatives says, for every construct that needs JavaScript, what to
// use instead; the error names it.
var jsAlternatives = map[string]string{
	"function":       "captures, templates ($randomString(), $uuid, …), ifTrue and loop",
	"beforeRequest":  "templates in url, headers and json, or config.defaults.headers",
	"afterResponse":  "capture and expect",
	"beforeScenario": "a before: section or steps at the start of the flow",
	"afterScenario":  "an after: section or steps at the end of the flow",
	"onError":        "expect checks and the errors.* counters",
}

func (d *decoder) scenario(n *yaml.Node, what string) Scenario {
	s := Scenario{Pos: posOf(n), Weight: 1}
	hasFlow := false
	fields := map[string]field{
		"name":   func(_, v *yaml.Node) { s.Name = d.scalarText(v, what+".name") },
		"weight": func(_, v *yaml.Node) { d.weight(v, &s, what+".weight") },
		"flow": func(_, v *yaml.Node) {
			hasFlow = true
			if s.Flow = d.flow(v, what+".flow"); len(s.Flow) == 0 && resolve(v).Kind == yaml.SequenceNode {
				// Artillery runs it too, but its VUs only count as
				// created and completed: a test of nothing.
				d.warnf(v, "%s.flow is empty: its VUs send no request", what)
			}
		},
		"engine": func(_, v *yaml.Node) {
			if e := d.str(v, what+".engine"); e != "http" {
				d.errorf(v, "%s.engine: %q is not supported; Surge runs the http engine only", what, e)
			}
		},
	}
	for _, hook := range []string{"beforeScenario", "afterScenario", "beforeRequest", "afterResponse", "onError"} {
		fields[hook] = d.jsField(what, hook)
	}
	d.mapping(n, what, fields)
	if resolve(n).Kind == yaml.MappingNode && !hasFlow {
		d.errorf(n, "%s: missing flow: expected a list of steps such as - get: {url: \"/\"}", what)
	}
	return s
}

// weight is a whole number, or text resolved when the test starts.
func (d *decoder) weight(n *yaml.Node, s *Scenario, what string) {
	if n.Kind == yaml.ScalarNode && strings.Contains(n.Value, "{{") {
		s.WeightTemplate = n.Value
		return
	}
	s.Weight = int(d.integer(n, what))
}

// jsField rejects a construct that would run JavaScript.
func (d *decoder) jsField(what, key string) field {
	return func(k, _ *yaml.Node) {
		d.errorf(k, "%s.%s: JavaScript cannot run in Surge; use %s instead (examples: docs/scripting.md, Instead of JavaScript)", what, key, jsAlternatives[key])
		d.usesJS = true
	}
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
		at := fmt.Sprintf("%s[%d]", what, i)
		if item.Kind == yaml.SequenceNode {
			steps = append(steps, d.nestedFlow(item, at, depth+1)...)
			return
		}
		if st, ok := d.step(item, at, depth); ok {
			steps = append(steps, st)
		}
	})
	return steps
}

// stepSiblings lists, for each action, the keys allowed beside it.
var stepSiblings = map[string][]string{
	"think":    {"jitter"},
	"loop":     {"count", "over", "loopValue", "loopElement", "whileTrue"},
	"log":      nil,
	"parallel": {"limit"},
}

func isAction(k string) bool {
	if _, ok := stepSiblings[k]; ok {
		return true
	}
	return k == "function" || isMethod(k)
}

func isMethod(k string) bool {
	for _, m := range requestMethods {
		if k == m {
			return true
		}
	}
	return false
}

// step reads one flow step: a mapping with one action key (get, think,
// loop, …) and the keys that action allows beside it.
func (d *decoder) step(n *yaml.Node, what string, depth int) (Step, bool) {
	st := Step{Pos: posOf(n)}
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "%s: expected a step such as - get: {url: \"/\"}, got %s", what, kindName(n))
		return st, false
	}
	action, ok := d.stepAction(n, what)
	if !ok {
		return st, false
	}
	fields := map[string]field{}
	switch {
	case isMethod(action):
		fields[action] = func(_, v *yaml.Node) { st.Request = d.request(v, strings.ToUpper(action), what+"."+action) }
	case action == "think":
		st.Think = &Think{}
		fields["think"] = func(_, v *yaml.Node) { st.Think.Value = d.value(v, what+".think") }
		fields["jitter"] = func(_, v *yaml.Node) { st.Think.Jitter = d.scalarText(v, what+".jitter") }
	case action == "log":
		fields["log"] = func(_, v *yaml.Node) { st.Log = &Log{Text: d.scalarText(v, what+".log")} }
	case action == "loop":
		st.Loop = &Loop{IndexVar: "$loopCount", ElementVar: "$loopElement"}
		d.loopFields(fields, st.Loop, what, depth)
	case action == "function":
		fields["function"] = d.jsField(what, "function")
	case action == "parallel":
		st.Parallel = &Parallel{Limit: 100}
		fields["parallel"] = func(_, v *yaml.Node) { st.Parallel.Steps = d.nestedFlow(v, what+".parallel", depth+1) }
		fields["limit"] = func(_, v *yaml.Node) {
			st.Parallel.Limit = int(d.integer(v, what+".limit"))
			if st.Parallel.Limit < 1 {
				d.errorf(v, "%s.limit: expected at least 1, got %s", what, v.Value)
			}
		}
	}
	d.mapping(n, what, fields)
	return st, st.Request != nil || st.Think != nil || st.Log != nil || st.Loop != nil || st.Parallel != nil
}

// stepAction finds the step's one action key; an unknown or misspelled key
// gets a did-you-mean over the actions.
func (d *decoder) stepAction(n *yaml.Node, what string) (string, bool) {
	var actions []string
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i].Value; isAction(k) {
			actions = append(actions, k)
		}
	}
	switch len(actions) {
	case 1:
		return actions[0], true
	case 0:
		known := append([]string{"think", "log", "loop", "parallel"}, requestMethods...)
		sort.Strings(known)
		if len(n.Content) == 0 {
			d.errorf(n, "%s: empty step: expected one of %s", what, strings.Join(known, ", "))
			return "", false
		}
		key := n.Content[0]
		if s := Suggest(key.Value, known); s != "" {
			d.errorf(key, "%s: unknown field %q; did you mean %q?", what, key.Value, s)
		} else {
			d.errorf(key, "%s: unknown field %q: a step starts with one of %s", what, key.Value, strings.Join(known, ", "))
		}
	default:
		d.errorf(n, "%s: a step has exactly one action (get, post, think, …), got %s", what, strings.Join(actions, " and "))
	}
	return "", false
}

func (d *decoder) loopFields(fields map[string]field, l *Loop, what string, depth int) {
	fields["loop"] = func(_, v *yaml.Node) { l.Steps = d.nestedFlow(v, what+".loop", depth+1) }
	fields["count"] = func(_, v *yaml.Node) {
		l.Count, l.HasCount, l.CountPos = d.value(v, what+".count"), true, posOf(v)
	}
	fields["over"] = func(_, v *yaml.Node) {
		l.Over, l.HasOver, l.OverPos = d.value(v, what+".over"), true, posOf(v)
		if name, ok := l.Over.(string); ok && strings.Contains(name, "{{") {
			// over names a variable and is not rendered (in Artillery
			// too): "{{ items }}" names no variable, and the loop would
			// be skipped without a word.
			d.errorf(v, "%s.over: %q is a template, but over takes the name of a list variable as it is: write over: %s",
				what, name, strings.TrimSpace(strings.Trim(strings.TrimSpace(name), "{}")))
		}
	}
	fields["loopValue"] = func(_, v *yaml.Node) { l.IndexVar = d.str(v, what+".loopValue") }
	fields["loopElement"] = func(_, v *yaml.Node) { l.ElementVar = d.str(v, what+".loopElement") }
	fields["whileTrue"] = func(_, v *yaml.Node) {
		l.WhileTrue, l.HasWhileTrue, l.WhileTruePos = d.scalarText(v, what+".whileTrue"), true, posOf(v)
	}
}

// jsName is a bare name, what Artillery's whileTrue holds: a function of
// the processor.
var jsName = regexp.MustCompile(`^\s*[A-Za-z_$][A-Za-z0-9_$]*\s*$`)

// checkWhileTrue refuses a whileTrue that names a processor function: in
// Surge it would read as a variable, and the loop would run once.
func (d *decoder) checkWhileTrue(s *Script) {
	var walk func(steps []Step)
	walk = func(steps []Step) {
		for _, st := range steps {
			switch {
			case st.Loop != nil:
				if l := st.Loop; l.HasWhileTrue && jsName.MatchString(l.WhileTrue) {
					d.errs = append(d.errs, &Error{File: s.File, Pos: l.WhileTruePos, Msg: fmt.Sprintf(
						"whileTrue %q names a JavaScript function of config.processor; Surge reads whileTrue as an expression over the VU's variables, e.g. whileTrue: \"page < 5\"",
						strings.TrimSpace(l.WhileTrue))})
				}
				walk(st.Loop.Steps)
			case st.Parallel != nil:
				walk(st.Parallel.Steps)
			}
		}
	}
	for _, sc := range append(append([]Scenario{}, s.Scenarios...), sections(s)...) {
		walk(sc.Flow)
	}
}

func sections(s *Script) []Scenario {
	var out []Scenario
	for _, sc := range []*Scenario{s.Before, s.After} {
		if sc != nil {
			out = append(out, *sc)
		}
	}
	return out
}
