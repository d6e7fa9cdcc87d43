package scenario

import (
	"fmt"
	"strings"
	"time"

	yaml "go.yaml.in/yaml/v4"

	"github.com/surge-dev/surge/transport"
)

func (d *decoder) config(n *yaml.Node, c *Config) {
	var ensure *Ensure
	var ensureKey *yaml.Node
	var top, httpDefaults Defaults
	var apdexT time.Duration
	d.mapping(n, "config", map[string]field{
		"target": func(_, v *yaml.Node) { c.Target, c.TargetPos = d.optStr(v, "config.target"), posOf(v) },
		"phases": func(_, v *yaml.Node) {
			d.sequence(v, "config.phases", func(i int, item *yaml.Node) {
				c.Phases = append(c.Phases, d.phase(item, fmt.Sprintf("config.phases[%d]", i)))
			})
		},
		"http":         func(_, v *yaml.Node) { d.httpConfig(v, c, &httpDefaults) },
		"timeout":      func(_, v *yaml.Node) { c.HTTP.Timeout = d.timeout(v, "config.timeout") },
		"tls":          func(_, v *yaml.Node) { d.tls(v, &c.HTTP) },
		"defaults":     func(_, v *yaml.Node) { d.defaults(v, &top, "config.defaults") },
		"variables":    func(_, v *yaml.Node) { c.Variables = d.variables(v) },
		"payload":      func(_, v *yaml.Node) { c.Payloads = d.payloads(v) },
		"plugins":      func(_, v *yaml.Node) { d.plugins(v, c, &ensure) },
		"ensure":       func(k, v *yaml.Node) { c.Ensure, ensureKey = d.ensure(v, "config.ensure"), k },
		"environments": func(_, v *yaml.Node) { d.environments(v) },
		"processor":    func(_, v *yaml.Node) { c.Processor, c.ProcessorPos = d.str(v, "config.processor"), posOf(v) },
		"apdex": func(_, v *yaml.Node) {
			if t, ok := d.apdexThreshold(v, "config.apdex"); ok {
				apdexT = t
			}
		},
		"monitor":   func(_, v *yaml.Node) { c.Monitor = d.monitor(v) },
		"alerts":    func(_, v *yaml.Node) { c.Alerts = d.alerts(v, "config.alerts") },
		"notifiers": func(_, v *yaml.Node) { c.Notifiers = d.notifiers(v, "config.notifiers") },
		"statsInterval": func(k, _ *yaml.Node) {
			d.ignored(k, "config.statsInterval", "Surge reports every second")
		},
		"mode":         func(k, _ *yaml.Node) { d.ignored(k, "config.mode", "arrivals are evenly spaced") },
		"engines":      func(k, _ *yaml.Node) { d.ignored(k, "config.engines", "only the http engine exists") },
		"includeFiles": func(k, _ *yaml.Node) { d.ignored(k, "config.includeFiles", "nothing is bundled") },
		"bundling":     func(k, _ *yaml.Node) { d.ignored(k, "config.bundling", "nothing is bundled") },
	})
	c.Defaults = mergeDefaults(httpDefaults, top)
	// The plugin reads config.apdex first, then its own options.
	if c.Plugins.Apdex && apdexT > 0 {
		c.Plugins.ApdexThreshold = apdexT
	}
	if c.Plugins.Apdex && c.Plugins.ApdexThreshold == 0 {
		c.Plugins.ApdexThreshold = DefaultApdexThreshold
	}
	d.checkNotifiers(Alerts{Alerts: c.Alerts, Notifiers: c.Notifiers}, "config.notifiers")
	d.checkSeries(c)
	// Artillery reads the checks from config.ensure, else from the plugin's
	// own options, and only runs them when the plugin is enabled.
	if !c.Plugins.Ensure {
		if ensureKey != nil { // Artillery says nothing; a check that never runs should be said
			d.ignored(ensureKey, "config.ensure", "the checks run only with the ensure plugin, as in Artillery: add config.plugins.ensure: {}")
		}
		c.Ensure = nil
	} else if c.Ensure == nil {
		c.Ensure = ensure
	}
}

func (d *decoder) httpConfig(n *yaml.Node, c *Config, httpDefaults *Defaults) {
	h := &c.HTTP
	d.mapping(n, "config.http", map[string]field{
		"timeout":  func(_, v *yaml.Node) { h.Timeout = d.timeout(v, "config.http.timeout") },
		"pool":     func(_, v *yaml.Node) { h.Pool = int(d.integer(v, "config.http.pool")) },
		"protocol": func(_, v *yaml.Node) { h.Protocol = d.protocol(v) },
		"expectStatus": func(_, v *yaml.Node) {
			h.ExpectStatus = d.expectStatus(v, "config.http.expectStatus")
		},
		"defaults": func(_, v *yaml.Node) { d.defaults(v, httpDefaults, "config.http.defaults") },
		// Artillery accepts maxSockets but its per-VU agent ignores it.
		"maxSockets": func(_, v *yaml.Node) { d.integer(v, "config.http.maxSockets") },
		"extendedMetrics": func(k, _ *yaml.Node) {
			d.ignored(k, "config.http.extendedMetrics", "Surge records latency and service time always")
		},
		// Artillery 2.0.34 reads followRedirect on each request only: a
		// script that sets it here still follows every redirect there.
		"followRedirect": func(k, v *yaml.Node) {
			d.boolean(v, "config.http.followRedirect")
			d.ignored(k, "config.http.followRedirect",
				"Artillery 2.0.34 ignores it too and follows redirects; write followRedirect: false on the request")
		},
		"cookieJarOptions":   func(k, _ *yaml.Node) { d.ignored(k, "config.http.cookieJarOptions", "") },
		"distributedTracing": func(k, _ *yaml.Node) { d.ignored(k, "config.http.distributedTracing", "") },
	})
}

func (d *decoder) protocol(n *yaml.Node) string {
	p := d.str(n, "config.http.protocol")
	switch p {
	case "", "auto", "http1", "http2":
		return p
	}
	d.errorf(n, "config.http.protocol: expected auto, http1 or http2, got %q", p)
	return ""
}

func (d *decoder) tls(n *yaml.Node, h *HTTP) {
	d.mapping(n, "config.tls", map[string]field{
		"rejectUnauthorized": func(_, v *yaml.Node) { h.Insecure = !d.boolean(v, "config.tls.rejectUnauthorized") },
	})
}

// defaults reads config.defaults or config.http.defaults. Artillery
// reads headers, cookie, strictCapture and think.jitter from them and
// ignores anything else, so other keys only warn.
func (d *decoder) defaults(n *yaml.Node, def *Defaults, what string) {
	d.mapping(n, what, map[string]field{
		"headers": func(_, v *yaml.Node) { def.Headers, def.HasHeaders = d.headers(v, what+".headers"), true },
		"cookie": func(_, v *yaml.Node) {
			def.Cookies, def.HasCookies = d.cookies(v, what+".cookie"), true
		},
		"strictCapture": func(_, v *yaml.Node) {
			b := d.boolean(v, what+".strictCapture")
			def.StrictCapture = &b
		},
		"think": func(k, v *yaml.Node) { d.defaultThink(k, v, def, what) },
		otherKeys: func(k, _ *yaml.Node) {
			d.ignored(k, what+"."+k.Value, "Artillery ignores it too: it reads headers, cookie, strictCapture and think.jitter there")
		},
	})
}

// defaultThink reads defaults.think: only its jitter means anything; a
// number (a think time, which Artillery does not apply) is ignored.
func (d *decoder) defaultThink(k, v *yaml.Node, def *Defaults, what string) {
	def.HasThink = true
	if v.Kind != yaml.MappingNode {
		d.ignored(k, what+".think: "+v.Value, "Artillery reads only think.jitter there; write a think step")
		return
	}
	d.mapping(v, what+".think", map[string]field{
		"jitter": func(_, j *yaml.Node) { def.ThinkJitter = d.scalarText(j, what+".think.jitter") },
		otherKeys: func(k, _ *yaml.Node) {
			d.ignored(k, what+".think."+k.Value, "Artillery reads only think.jitter there")
		},
	})
}

// mergeDefaults combines config.http.defaults (h) and config.defaults
// (c) as Artillery does: for headers, cookie and think, the http one
// when it is set, whole; captures are not strict when either says so.
func mergeDefaults(h, c Defaults) Defaults {
	out := c
	if h.HasHeaders {
		out.Headers, out.HasHeaders = h.Headers, true
	}
	if h.HasCookies {
		out.Cookies, out.HasCookies = h.Cookies, true
	}
	if h.HasThink {
		out.ThinkJitter, out.HasThink = h.ThinkJitter, true
	}
	switch {
	case isFalse(h.StrictCapture) || isFalse(c.StrictCapture):
		f := false
		out.StrictCapture = &f
	case h.StrictCapture != nil:
		out.StrictCapture = h.StrictCapture
	}
	return out
}

func isFalse(b *bool) bool { return b != nil && !*b }

func (d *decoder) variables(n *yaml.Node) []Variable {
	n = resolve(n)
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "config.variables: expected a mapping of names to values, got %s", kindName(n))
		return nil
	}
	var vs []Variable
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		vs = append(vs, Variable{Name: k.Value, Value: d.value(resolve(n.Content[i+1]), "config.variables."+k.Value)})
	}
	return vs
}

// environments checks the shape and the others' keys: the chosen
// environment was merged into config before decoding, and the others may
// hold templates that only resolve when chosen, so only their keys are
// checked (a misspelled key in prod was found only by a run with -e prod,
// never by the CI run without -e).
func (d *decoder) environments(n *yaml.Node) {
	n = resolve(n)
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "config.environments: expected a mapping of environment names to config, got %s", kindName(n))
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if name := n.Content[i].Value; name != d.envName {
			d.environmentKeys(name, resolve(n.Content[i+1]))
		}
	}
}

// environmentKeys reports the unknown fields of environment name, decoded
// as a config by a decoder whose other findings are dropped.
func (d *decoder) environmentKeys(name string, env *yaml.Node) {
	scratch := &decoder{file: d.file, origin: d.origin, undefined: d.undefined}
	scratch.config(env, &Config{})
	for _, e := range scratch.errs {
		if strings.Contains(e.Msg, "unknown field") {
			e.Msg = "config.environments." + name + strings.TrimPrefix(e.Msg, "config")
			d.errs = append(d.errs, e)
		}
	}
}

func (d *decoder) phase(n *yaml.Node, what string) Phase {
	p := Phase{Pos: posOf(n)}
	var count, maxVUsers *yaml.Node
	d.mapping(n, what, map[string]field{
		"name":        func(_, v *yaml.Node) { p.Name = d.scalarText(v, what+".name") },
		"duration":    func(_, v *yaml.Node) { p.Duration = d.duration(v, what+".duration") },
		"pause":       func(_, v *yaml.Node) { p.Pause = d.duration(v, what+".pause") },
		"arrivalRate": func(_, v *yaml.Node) { p.ArrivalRate = d.rate(v, what+".arrivalRate") },
		"rampTo":      func(_, v *yaml.Node) { p.RampTo, p.HasRampTo = d.rate(v, what+".rampTo"), true },
		"arrivalCount": func(_, v *yaml.Node) {
			p.ArrivalCount, p.HasCount, count = d.integer(v, what+".arrivalCount"), true, v
		},
		"maxVusers": func(_, v *yaml.Node) { p.MaxVUsers, maxVUsers = d.integer(v, what+".maxVusers"), v },
		"users": func(_, v *yaml.Node) {
			p.Users = d.integer(v, what+".users")
			d.atMost(v, float64(p.Users), MaxUsers, what+".users", "users in one process")
			if p.Users == 0 && v.Kind == yaml.ScalarNode {
				// A phase of 0 users ran as a pause, without a word; -u 0 is refused.
				d.errorf(v, "%s.users: expected at least 1 user (for a pause, write pause: %s)", what, "<duration>")
			}
		},
		"spawnRate": func(_, v *yaml.Node) { p.SpawnRate = d.rate(v, what+".spawnRate") },
		"mode":      func(k, _ *yaml.Node) { d.ignored(k, what+".mode", "arrivals are evenly spaced") },
		// Public scripts carry a timeout in phases; Artillery ignores it.
		"timeout": func(k, _ *yaml.Node) { d.ignored(k, what+".timeout", "Artillery ignores it too") },
	})
	if count != nil {
		// arrivalCount over a duration is a rate too (all at once for a
		// duration under a second).
		d.atMost(count, float64(p.ArrivalCount), MaxArrivalRate*max(1, p.Duration.Seconds()), what+".arrivalCount",
			fmt.Sprintf("over %v (at most %d arrivals a second in one process)", p.Duration, MaxArrivalRate))
	}
	if maxVUsers != nil && p.MaxVUsers == 0 {
		// Artillery skips an arrival while the VUs running are at least
		// maxVusers: 0 skips them all, where Surge read 0 as no cap.
		d.errorf(maxVUsers, "%s.maxVusers: 0 would skip every arrival of the phase (Artillery drops an arrival while "+
			"at least maxVusers VUs run): give at least 1, or leave it out for no cap", what)
	}
	if maxVUsers != nil && p.Users > 0 {
		// A phase of users runs exactly that many: maxVusers, which caps
		// arrivals, would be silently ignored.
		d.errorf(maxVUsers, "%s.maxVusers: a phase of users runs exactly users VUs; maxVusers caps arrivals "+
			"(arrivalRate, arrivalCount): remove it, or set users to the number wanted", what)
	}
	d.checkPhase(n, what, p)
	d.checkPhaseShape(n, what, p)
	return p
}

// checkPhaseShape reports the phases Artillery reads otherwise than they
// look: a pause, then arrivalCount, then arrivalRate wins and the other
// keys are ignored (a warning, as a test still runs there), while a
// phase with a duration and none of them is an "Unknown phase spec" it
// cannot run (an error, where Surge ran no arrivals without a word). A
// rampTo alone ramps from 0: Artillery 2 fills in arrivalRate 0 before
// it divides the phases among its workers.
func (d *decoder) checkPhaseShape(n *yaml.Node, what string, p Phase) {
	n = resolve(n)
	if n.Kind != yaml.MappingNode || p.Users > 0 {
		return
	}
	rate := hasKey(n, "arrivalRate")
	switch {
	case hasKey(n, "pause"):
		if rate || p.HasCount || p.HasRampTo {
			d.warnf(n, "%s: a phase with pause only waits: its arrivalRate, arrivalCount and rampTo are ignored, as in Artillery", what)
		}
	case p.HasCount:
		if rate || p.HasRampTo {
			d.warnf(n, "%s: arrivalCount wins: the phase's arrivalRate and rampTo are ignored, as in Artillery", what)
		}
	case !rate && !p.HasRampTo && hasKey(n, "duration"):
		d.errorf(n, "%s: the phase starts no arrival: give arrivalRate, arrivalCount or users (or write pause: for a wait)", what)
	}
}

// checkPhase reports phases that mix load shapes or lack a duration.
func (d *decoder) checkPhase(n *yaml.Node, what string, p Phase) {
	n = resolve(n)
	if n.Kind != yaml.MappingNode {
		return
	}
	if p.Pause > 0 {
		return
	}
	if p.Users > 0 && (p.ArrivalRate > 0 || p.HasCount || p.HasRampTo) {
		d.errorf(n, "%s: users (closed model) cannot be combined with arrivalRate, rampTo or arrivalCount", what)
	}
	if p.Users == 0 && p.SpawnRate > 0 {
		d.errorf(n, "%s: spawnRate needs users", what)
	}
	if p.Duration == 0 && !hasKey(n, "duration") && !hasKey(n, "pause") {
		d.errorf(n, "%s: missing duration (or pause)", what)
	}
}

func hasKey(n *yaml.Node, key string) bool {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return true
		}
	}
	return false
}

// monitor reads config.monitor: "URL", or {url: URL, series: [names]}.
func (d *decoder) monitor(n *yaml.Node) Monitor {
	var m Monitor
	if n.Kind == yaml.ScalarNode {
		m.URL = d.str(n, "config.monitor")
		d.checkMonitorURL(n, m.URL)
		return m
	}
	d.mapping(n, "config.monitor", map[string]field{
		"url": func(_, v *yaml.Node) { m.URL = d.str(v, "config.monitor.url") },
		"series": func(_, v *yaml.Node) {
			d.sequence(v, "config.monitor.series", func(i int, item *yaml.Node) {
				m.Series = append(m.Series, d.str(item, fmt.Sprintf("config.monitor.series[%d]", i)))
			})
		},
	})
	if m.URL == "" {
		d.errorf(n, "config.monitor: missing url (a Prometheus endpoint such as http://127.0.0.1:8080/metrics)")
	}
	d.checkMonitorURL(n, m.URL)
	return m
}

func (d *decoder) checkMonitorURL(n *yaml.Node, raw string) {
	if raw == "" {
		return
	}
	if why := transport.URLProblem(raw); why != "" {
		d.errorf(n, "config.monitor: %q %s", raw, why)
	}
}
