package scenario

import (
	"strconv"
	"strings"

	"github.com/surge-dev/surge/templating"
	yaml "go.yaml.in/yaml/v4"
)

// renderConfig renders every template in the config section once, before
// it is decoded, as Artillery does at load time: this is how
// target: "{{ $env.TARGET }}" or a phase rate from the environment work.
// Only load-time values exist then: the process environment, -v
// variables, $environment, $dirname, $scenarioFile and $testId, and the
// functions $randomNumber and $randomString. A template that renders as
// undefined leaves the value undefined (null where it is not a variable),
// with a warning. config.environments is left alone: the chosen one was
// merged into config already, and the others may hold templates that
// only resolve when chosen.
func (d *decoder) renderConfig(config *yaml.Node, sc templating.Scope) {
	seen := map[*yaml.Node]bool{}
	if envs := child(config, "environments"); envs != nil {
		seen[envs] = true
	}
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		n = resolve(n)
		if n == nil || seen[n] || depth > maxMergeDepth {
			return
		}
		seen[n] = true
		if n.Kind == yaml.ScalarNode {
			d.renderScalar(n, sc)
			return
		}
		for i, c := range n.Content {
			if n.Kind == yaml.MappingNode && i%2 == 0 && strings.Contains(c.Value, ".") {
				// Artillery renders a key through its lodash path, where
				// a dot splits it: the key written stays as it is. So a
				// threshold on "plugins.metrics-by-endpoint.response_time.
				// /users/{{ id }}.p95" names the metric keyed by the URL
				// as written, not /users/undefined.
				continue
			}
			walk(c, depth+1)
		}
	}
	walk(config, 0)
}

func (d *decoder) renderScalar(n *yaml.Node, sc templating.Scope) {
	if n.Tag == "!!null" || !strings.Contains(n.Value, "{{") {
		return
	}
	t, err := templating.Compile(n.Value)
	if err != nil {
		d.errorf(n, "template %q: %v", n.Value, err)
		return
	}
	v := t.Render(sc)
	if _, undef := v.(templating.UndefinedType); undef {
		// Said, since the value then reaches requests as "undefined":
		// most often an environment variable that is not set.
		d.warnf(n, "template %q is undefined (a variable or an environment name not set?); its value is left undefined, as in Artillery", n.Value)
		if d.undefined == nil {
			d.undefined = map[*yaml.Node]string{}
		}
		d.undefined[n] = n.Value
	}
	setValue(n, v)
}

// setValue replaces a scalar node's value with a rendered one, keeping its
// position for error messages.
func setValue(n *yaml.Node, v any) {
	line, col := n.Line, n.Column
	switch x := v.(type) {
	case string:
		n.Tag, n.Value = "!!str", x
	case bool:
		n.Tag, n.Value = "!!bool", strconv.FormatBool(x)
	case nil, templating.UndefinedType:
		n.Tag, n.Value = "!!null", ""
	default:
		if f, ok := templating.Number(v); ok {
			n.Tag, n.Value = "!!float", templating.FormatNumber(f)
			break
		}
		var repl yaml.Node
		if err := repl.Encode(v); err == nil {
			*n = repl
		}
	}
	n.Line, n.Column = line, col
}
