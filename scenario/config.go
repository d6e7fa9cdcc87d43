package scenario

import (
	"fmt"

	yaml "go.yaml.in/yaml/v4"
)

func (d *decoder) config(n *yaml.Node, c *Config) {
	d.mapping(n, "config", map[string]field{
		"target": func(_, v *yaml.Node) { c.Target, c.TargetPos = d.str(v, "config.target"), posOf(v) },
		"phases": func(_, v *yaml.Node) {
			d.sequence(v, "config.phases", func(i int, item *yaml.Node) {
				c.Phases = append(c.Phases, d.phase(item, fmt.Sprintf("config.phases[%d]", i)))
			})
		},
		"http":     func(_, v *yaml.Node) { d.httpConfig(v, &c.HTTP) },
		"timeout":  func(_, v *yaml.Node) { c.HTTP.Timeout = d.duration(v, "config.timeout") },
		"tls":      func(_, v *yaml.Node) { d.tls(v, &c.HTTP) },
		"defaults": func(_, v *yaml.Node) { d.defaults(v, &c.Defaults, "config.defaults") },
	})
}

func (d *decoder) httpConfig(n *yaml.Node, h *HTTP) {
	d.mapping(n, "config.http", map[string]field{
		"timeout":  func(_, v *yaml.Node) { h.Timeout = d.duration(v, "config.http.timeout") },
		"pool":     func(_, v *yaml.Node) { h.Pool = int(d.integer(v, "config.http.pool")) },
		"protocol": func(_, v *yaml.Node) { h.Protocol = d.protocol(v) },
		// Artillery accepts maxSockets but its per-VU agent ignores it.
		"maxSockets": func(_, v *yaml.Node) { d.integer(v, "config.http.maxSockets") },
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

func (d *decoder) defaults(n *yaml.Node, def *Defaults, what string) {
	d.mapping(n, what, map[string]field{
		"headers": func(_, v *yaml.Node) { def.Headers = d.headers(v, what+".headers") },
	})
}

func (d *decoder) phase(n *yaml.Node, what string) Phase {
	p := Phase{Pos: posOf(n)}
	d.mapping(n, what, map[string]field{
		"name":         func(_, v *yaml.Node) { p.Name = d.scalarText(v, what+".name") },
		"duration":     func(_, v *yaml.Node) { p.Duration = d.duration(v, what+".duration") },
		"pause":        func(_, v *yaml.Node) { p.Pause = d.duration(v, what+".pause") },
		"arrivalRate":  func(_, v *yaml.Node) { p.ArrivalRate = d.number(v, what+".arrivalRate") },
		"rampTo":       func(_, v *yaml.Node) { p.RampTo, p.HasRampTo = d.number(v, what+".rampTo"), true },
		"arrivalCount": func(_, v *yaml.Node) { p.ArrivalCount, p.HasCount = d.integer(v, what+".arrivalCount"), true },
		"maxVusers":    func(_, v *yaml.Node) { p.MaxVUsers = d.integer(v, what+".maxVusers") },
		"users":        func(_, v *yaml.Node) { p.Users = d.integer(v, what+".users") },
		"spawnRate":    func(_, v *yaml.Node) { p.SpawnRate = d.number(v, what+".spawnRate") },
	})
	d.checkPhase(n, what, p)
	return p
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
	if p.Duration == 0 && !hasKey(n, "duration") {
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
