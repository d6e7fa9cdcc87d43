package scenario

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/surge-dev/surge/templating"
	yaml "go.yaml.in/yaml/v4"
)

// plugins reads config.plugins. ensure receives the checks written in the
// ensure plugin's own options.
func (d *decoder) plugins(n *yaml.Node, c *Config, ensure **Ensure) {
	n = resolve(n)
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "config.plugins: expected a mapping of plugin names to options, got %s", kindName(n))
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], resolve(n.Content[i+1])
		switch k.Value {
		case "expect":
			c.Plugins.Expect = d.expectPlugin(v)
		case "ensure":
			c.Plugins.Ensure = true
			if isEmpty(v) {
				continue
			}
			*ensure = d.ensure(v, "config.plugins.ensure")
		case "metrics-by-endpoint":
			c.Plugins.MetricsByEndpoint = d.metricsByEndpoint(v)
		case "apdex":
			c.Plugins.Apdex = true
			if t, ok := d.apdexThreshold(v, "config.plugins.apdex"); ok && c.Plugins.ApdexThreshold == 0 {
				c.Plugins.ApdexThreshold = t
			}
		default:
			if near := nearPlugin(k.Value); near != "" {
				d.errorf(k, "config.plugins.%s: unknown plugin; did you mean %q? (misspelled, its checks would not run)", k.Value, near)
				continue
			}
			d.warnf(k, "config.plugins.%s: plugin not supported by Surge; ignored", k.Value)
		}
	}
}

// supportedPlugins are the plugins Surge runs itself.
var supportedPlugins = []string{"expect", "ensure", "metrics-by-endpoint", "apdex"}

// nearPlugin is the supported plugin a name misspells (at most two edits
// away, or another case), or "". Another plugin only warns, as in
// Artillery, which runs what it can load; but "expct" for "expect" would
// turn a CI gate off with nothing but a warning.
func nearPlugin(name string) string { return closeTo(name, supportedPlugins) }

// isEmpty is true for an empty mapping or a null.
func isEmpty(n *yaml.Node) bool {
	return (n.Kind == yaml.MappingNode && len(n.Content) == 0) || (n.Kind == yaml.ScalarNode && n.Tag == "!!null")
}

func (d *decoder) expectPlugin(n *yaml.Node) *ExpectPlugin {
	e := &ExpectPlugin{Formatter: "pretty"}
	if isEmpty(n) {
		return e
	}
	const what = "config.plugins.expect"
	d.mapping(n, what, map[string]field{
		"outputFormat":           func(_, v *yaml.Node) { e.Formatter = d.str(v, what+".outputFormat") },
		"formatter":              func(_, v *yaml.Node) { e.Formatter = d.str(v, what+".formatter") },
		"expectDefault200":       func(_, v *yaml.Node) { e.ExpectDefault200 = d.looseBool(v) },
		"reportFailuresAsErrors": func(_, v *yaml.Node) { e.ReportFailuresAsErrors = d.looseBool(v) },
		"useOnlyRequestNames":    func(_, v *yaml.Node) { e.UseOnlyRequestNames = d.looseBool(v) },
	})
	return e
}

// metricsByEndpoint reads the metrics-by-endpoint plugin's options: those
// that change the metric names ensure checks look up, and suppressOutput,
// which only hides them from Artillery's console. Artillery ignores an
// option it does not know; here a misspelled one is an error, since the
// names it meant to change would not match the checks.
func (d *decoder) metricsByEndpoint(n *yaml.Node) *MetricsByEndpoint {
	m := &MetricsByEndpoint{Namespace: DefaultMetricsNamespace}
	if isEmpty(n) {
		return m
	}
	const what = "config.plugins.metrics-by-endpoint"
	d.mapping(n, what, map[string]field{
		"useOnlyRequestNames":   func(_, v *yaml.Node) { m.UseOnlyRequestNames = d.boolean(v, what+".useOnlyRequestNames") },
		"stripQueryString":      func(_, v *yaml.Node) { m.StripQueryString = d.boolean(v, what+".stripQueryString") },
		"ignoreUnnamedRequests": func(_, v *yaml.Node) { m.IgnoreUnnamedRequests = d.boolean(v, what+".ignoreUnnamedRequests") },
		"metricsNamespace": func(_, v *yaml.Node) {
			if ns := d.str(v, what+".metricsNamespace"); ns != "" {
				m.Namespace = ns
			}
		},
		"groupDynamicURLs": func(_, v *yaml.Node) {
			if !d.boolean(v, what+".groupDynamicURLs") && v.ShortTag() == "!!bool" {
				// Artillery then keys each request by its URL as sent, a
				// name per value of every variable in it.
				d.errorf(v, "%s.groupDynamicURLs: false is not supported: Surge keys each request by its URL as written (\"/users/{{ id }}\"), as Artillery does by default", what)
			}
		},
		"suppressOutput": func(_, v *yaml.Node) { d.boolean(v, what+".suppressOutput") },
		"metricsPrefix": func(k, _ *yaml.Node) {
			// The plugin's source calls the prefix metricsPrefix, but
			// the option it reads (and documents) is metricsNamespace.
			d.errorf(k, "%s: unknown field \"metricsPrefix\"; did you mean \"metricsNamespace\"? (the plugin reads only metricsNamespace)", what)
		},
	})
	return m
}

// looseBool accepts true and "true", as the expect plugin does.
func (d *decoder) looseBool(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && strings.TrimSpace(n.Value) == "true"
}

// legacyChecks are the ensure keys that compare http.response_time.<key>.
var legacyChecks = []string{"min", "max", "median", "p95", "p99"}

func (d *decoder) ensure(n *yaml.Node, what string) *Ensure {
	e := &Ensure{Pos: posOf(n)}
	fields := map[string]field{
		"thresholds": func(_, v *yaml.Node) { e.Thresholds = d.thresholds(v, what+".thresholds") },
		"conditions": func(_, v *yaml.Node) { e.Conditions = d.conditions(v, what+".conditions") },
		"maxErrorRate": func(_, v *yaml.Node) {
			e.MaxErrorRate, e.HasMaxErrorRate = d.number(v, what+".maxErrorRate"), true
		},
	}
	for _, k := range legacyChecks {
		fields[k] = func(_, v *yaml.Node) {
			e.Legacy = append(e.Legacy, LegacyCheck{Key: k, Limit: d.parseInt(v, what+"."+k)})
		}
	}
	d.mapping(n, what, fields)
	return e
}

// parseInt reads a limit as JavaScript's parseInt(value, 10) would.
func (d *decoder) parseInt(n *yaml.Node, what string) int64 {
	s := strings.TrimSpace(n.Value)
	end := 0
	if end < len(s) && (s[0] == '-' || s[0] == '+') {
		end++
	}
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	v, err := strconv.ParseInt(s[:end], 10, 64)
	if n.Kind != yaml.ScalarNode || err != nil {
		d.errorf(n, "%s: expected a whole number of milliseconds, got %s", what, kindName(n))
	}
	return v
}

func (d *decoder) thresholds(n *yaml.Node, what string) []Threshold {
	var ts []Threshold
	d.sequence(n, what, func(i int, item *yaml.Node) {
		at := fmt.Sprintf("%s[%d]", what, i)
		if item.Kind != yaml.MappingNode || len(item.Content) != 2 {
			d.errorf(item, "%s: expected one \"metric: limit\" entry, got %s", at, kindName(item))
			return
		}
		v := resolve(item.Content[1])
		limit := limitText(d.scalarText(v, at))
		if _, err := strconv.ParseFloat(limit, 64); err != nil && v.Kind == yaml.ScalarNode {
			// Artillery checks "metric < limit" after the load, and a limit
			// that is no number fails it then; found here, before the load.
			d.errorf(v, "%s: expected a number, the limit of %s < limit; got %q", at, item.Content[0].Value, limit)
			return
		}
		ts = append(ts, Threshold{Metric: item.Content[0].Value, Limit: limit})
	})
	return ts
}

// limitText prints a limit as JavaScript prints it inside the check's
// text ("p95 < 1000" for 1e3).
func limitText(s string) string {
	if f, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil && !math.IsInf(f, 0) {
		return templating.FormatNumber(f)
	}
	return s
}

func (d *decoder) conditions(n *yaml.Node, what string) []Condition {
	var cs []Condition
	d.sequence(n, what, func(i int, item *yaml.Node) {
		at := fmt.Sprintf("%s[%d]", what, i)
		c := Condition{Pos: posOf(item), Strict: true}
		d.mapping(item, at, map[string]field{
			"expression": func(_, v *yaml.Node) { c.Expression = d.str(v, at+".expression") },
			"strict":     func(_, v *yaml.Node) { c.Strict = d.boolean(v, at+".strict") },
		})
		if c.Expression == "" {
			d.errorf(item, "%s: missing expression", at)
		}
		cs = append(cs, c)
	})
	return cs
}

func (d *decoder) payloads(n *yaml.Node) []Payload {
	n = resolve(n)
	if n.Kind == yaml.MappingNode {
		return []Payload{d.payload(n, "config.payload")}
	}
	var ps []Payload
	d.sequence(n, "config.payload", func(i int, item *yaml.Node) {
		ps = append(ps, d.payload(item, fmt.Sprintf("config.payload[%d]", i)))
	})
	return ps
}

func (d *decoder) payload(n *yaml.Node, what string) Payload {
	p := Payload{Pos: posOf(n)}
	boolPtr := func(v *yaml.Node, at string) *bool { b := d.boolean(v, at); return &b }
	d.mapping(n, what, map[string]field{
		"path":           func(_, v *yaml.Node) { p.Path = d.str(v, what+".path") },
		"fields":         func(_, v *yaml.Node) { p.Fields = d.strings(v, what+".fields") },
		"order":          func(_, v *yaml.Node) { p.Order = d.order(v, what+".order") },
		"skipHeader":     func(_, v *yaml.Node) { p.SkipHeader = d.boolean(v, what+".skipHeader") },
		"delimiter":      func(_, v *yaml.Node) { p.Delimiter = d.str(v, what+".delimiter") },
		"cast":           func(_, v *yaml.Node) { p.Cast = boolPtr(v, what+".cast") },
		"skipEmptyLines": func(_, v *yaml.Node) { p.SkipEmptyLines = boolPtr(v, what+".skipEmptyLines") },
		"loadAll":        func(_, v *yaml.Node) { p.LoadAll = d.boolean(v, what+".loadAll") },
		"name":           func(_, v *yaml.Node) { p.Name = d.str(v, what+".name") },
		"options": func(k, _ *yaml.Node) {
			d.ignored(k, what+".options", "raw csv-parse options are not supported; use delimiter, skipHeader, cast")
		},
	})
	if p.Path == "" && resolve(n).Kind == yaml.MappingNode {
		d.errorf(n, "%s: missing path (set it, or pass the file with -p)", what)
	}
	if p.LoadAll && p.Name == "" {
		// Artillery only warns, and every VU then sees the rows under no
		// name at all: a test whose data never reaches a request.
		d.errorf(n, "%s: loadAll needs name: the variable that holds the rows", what)
	}
	return p
}

func (d *decoder) order(n *yaml.Node, what string) string {
	o := d.str(n, what)
	if o != "random" && o != "sequence" && o != "" {
		d.errorf(n, "%s: expected random or sequence, got %q", what, o)
	}
	return o
}

func (d *decoder) strings(n *yaml.Node, what string) []string {
	var out []string
	d.sequence(n, what, func(i int, item *yaml.Node) {
		out = append(out, d.scalarText(item, fmt.Sprintf("%s[%d]", what, i)))
	})
	return out
}

// DefaultApdexThreshold is the apdex plugin's T when the script sets none.
const DefaultApdexThreshold = 500 * time.Millisecond

// apdexThreshold reads {threshold: ms} (a number or numeric text), the
// options of config.apdex and config.plugins.apdex.
func (d *decoder) apdexThreshold(n *yaml.Node, what string) (time.Duration, bool) {
	var t time.Duration
	found := false
	if isEmpty(n) {
		return 0, false
	}
	d.mapping(n, what, map[string]field{
		"threshold": func(_, v *yaml.Node) {
			ms := d.number(v, what+".threshold")
			if ms <= 0 && v.Kind == yaml.ScalarNode {
				d.errorf(v, "%s.threshold: must be a positive number of milliseconds, got %s", what, v.Value)
			}
			t, found = time.Duration(ms*float64(time.Millisecond)), true
		},
	})
	return t, found
}
