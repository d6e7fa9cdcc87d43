package scenario

import (
	yaml "go.yaml.in/yaml/v4"
)

func (d *decoder) request(n *yaml.Node, method, what string) *Request {
	r := &Request{Method: method, At: map[string]Pos{}}
	hasURL := false
	at := func(k *yaml.Node) { r.At[k.Value] = posOf(k) }
	url := func(k, v *yaml.Node) { at(k); r.URL, hasURL = d.str(v, what+"."+k.Value), true }
	fields := map[string]field{
		"url":     url,
		"uri":     url,
		"name":    func(_, v *yaml.Node) { r.Name = d.scalarText(v, what+".name") },
		"headers": func(_, v *yaml.Node) { r.Headers = d.headers(v, what+".headers") },
		"json":    func(k, v *yaml.Node) { at(k); r.JSON, r.HasJSON = d.jsonValue(v, what+".json"), true },
		"body":    func(k, v *yaml.Node) { at(k); r.Body, r.HasBody = d.textOnly(v, what+".body"), true },
		"form":    func(k, v *yaml.Node) { at(k); r.Form, r.HasForm = d.fields(v, what+".form"), true },
		"formData": func(k, v *yaml.Node) {
			at(k)
			r.FormData = d.fields(v, what+".formData")
		},
		"qs":          func(k, v *yaml.Node) { at(k); r.QS, r.HasQS = d.fields(v, what+".qs"), true },
		"cookie":      func(_, v *yaml.Node) { r.Cookies = d.cookies(v, what+".cookie") },
		"capture":     func(k, v *yaml.Node) { at(k); r.Capture = d.value(v, what+".capture") },
		"match":       func(k, v *yaml.Node) { at(k); r.Match = d.value(v, what+".match") },
		"expect":      func(k, v *yaml.Node) { at(k); r.Expect = d.value(v, what+".expect") },
		"ifTrue":      func(k, v *yaml.Node) { at(k); r.IfTrue, r.HasIfTrue = d.scalarText(v, what+".ifTrue"), true },
		"auth":        func(_, v *yaml.Node) { r.Auth = d.auth(v, what+".auth") },
		"probability": func(_, v *yaml.Node) { r.Probability = d.probability(v, what+".probability") },
		"followRedirect": func(_, v *yaml.Node) {
			follow := d.boolean(v, what+".followRedirect")
			r.FollowRedirect = &follow
		},
		"gzip": func(_, v *yaml.Node) {
			gzip := d.boolean(v, what+".gzip")
			r.Gzip = &gzip
		},
		"setContentLengthHeader": func(_, v *yaml.Node) { d.boolean(v, what+".setContentLengthHeader") },
		"think": func(k, _ *yaml.Node) {
			d.ignored(k, what+".think", "Artillery ignores it too; write a think step")
		},
		// Artillery copies a request's timeout and then overwrites it with
		// config.http.timeout: a script may carry one, and it does nothing.
		"timeout": func(k, _ *yaml.Node) {
			d.ignored(k, what+".timeout", "Artillery ignores it too: config.http.timeout applies to every request")
		},
	}
	for _, hook := range []string{"beforeRequest", "afterResponse"} {
		fields[hook] = d.jsField(what, hook)
	}
	d.mapping(n, what, fields)
	if resolve(n).Kind == yaml.MappingNode && !hasURL {
		d.errorf(n, "%s: missing url", what)
	}
	return r
}

// probability is a percentage, 0 to 100.
func (d *decoder) probability(n *yaml.Node, what string) *float64 {
	p := d.number(n, what)
	d.atMost(n, p, 100, what, "(percent)")
	return &p
}

// fields reads form, formData and qs mappings, keeping their order.
func (d *decoder) fields(n *yaml.Node, what string) []Field {
	n = resolve(n)
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "%s: expected a mapping of names to values, got %s", what, kindName(n))
		return nil
	}
	var fs []Field
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		fs = append(fs, Field{Name: k.Value, Value: d.value(resolve(n.Content[i+1]), what+"."+k.Value)})
	}
	return fs
}

// cookies reads a mapping of cookie names to values.
func (d *decoder) cookies(n *yaml.Node, what string) []Header {
	n = resolve(n)
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "%s: expected a mapping of cookie names to values, got %s", what, kindName(n))
		return nil
	}
	var cs []Header
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], resolve(n.Content[i+1])
		cs = append(cs, Header{Name: k.Value, Value: d.scalarJS(v, what+"."+k.Value)})
	}
	return cs
}

func (d *decoder) auth(n *yaml.Node, what string) *Auth {
	a := &Auth{}
	d.mapping(n, what, map[string]field{
		"user": func(_, v *yaml.Node) { a.User = d.textOnly(v, what+".user") },
		"pass": func(_, v *yaml.Node) { a.Pass = d.textOnly(v, what+".pass") },
	})
	return a
}

// textOnly is a scalar that must be text: Artillery refuses a number or
// true/false as a body (every request fails) or as auth's user or pass
// (the script fails validation), so Surge refuses them at load rather
// than sending their digits.
func (d *decoder) textOnly(n *yaml.Node, what string) string {
	if n.Kind == yaml.ScalarNode && n.Style&notPlain == 0 && d.undefined[n] == "" {
		kind := map[string]string{"!!int": "the number", "!!float": "the number", "!!bool": "the boolean"}[n.Tag]
		if kind != "" {
			d.errorf(n, "%s: want text, got %s %s, which Artillery refuses; quote it (\"%s\") to send it as text", what, kind, n.Value, n.Value)
			return ""
		}
	}
	return d.scalarText(n, what)
}
