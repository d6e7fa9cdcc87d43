package capture

import (
	"testing"

	"github.com/surge-dev/surge/templating"
)

// FuzzCapture feeds random expressions, flags, groups and bodies to every
// extractor and to the JSONPath rewriter: nothing may panic, and a
// successful capture never yields undefined or "".
func FuzzCapture(f *testing.F) {
	f.Add("$.a.0.b", "", "1", `{"a":[{"b":1}]}`)
	f.Add("$..x-id", "i", "", `{"x-id":"v"}`)
	f.Add(`value="([^"]+)"`, "gims", "1", `<a value="z">`)
	f.Add(`(?<n>\d+)`, "y", "n", "123")
	f.Add("$[?(@.a == '])')]", "u", "0", `[{"a":"])"}]`)
	f.Add("{{ v }}", "d", "x", "{{ v }}")
	f.Fuzz(func(t *testing.T, expr, flags, group, body string) {
		_ = NormalizeJSONPath(expr)
		_, _ = CompileRegexp(expr, flags)
		resp := jsonResp(body)
		sc := &templating.MapScope{Vars: map[string]any{"v": expr}}
		for _, spec := range []Spec{
			{JSON: expr, As: "v"},
			{JSON: expr, As: "v", Multiple: boolp(false)},
			{Regexp: expr, Flags: flags, Group: group, As: "v"},
			{Header: expr, As: "v"},
			{JSON: expr, Value: group, HasValue: true},
		} {
			c, err := Compile(spec)
			if err != nil {
				continue
			}
			if c.IsMatch() {
				_, _, _, _ = c.Match(resp, sc)
				continue
			}
			_, v, ok, _ := c.Extract(resp, sc)
			if ok && (v == "" || templating.IsUndefined(v)) {
				t.Fatalf("capture %+v succeeded with %#v", spec, v)
			}
		}
	})
}
