package scenario

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/surge-dev/surge/templating"
)

// jsonOf parses a script with one request whose json body is body.
func jsonOf(t *testing.T, body string) (any, error) {
	t.Helper()
	s, err := Parse("j.yml", []byte("x: &x {k: 1, j: 2}\nconfig: {target: http://x}\nscenarios: [{flow: [{post: {url: /, json: "+body+"}}]}]\n"))
	if err != nil {
		return nil, err
	}
	return s.Scenarios[0].Flow[0].Request.JSON, nil
}

// TestJSONBodyKeepsWrittenOrder: mappings of a json body, at any depth
// and in lists, are Objects in the order written; keys that are not
// strings are named as js-yaml names them; a merge key (<<) leaves the
// keys where js-yaml does, an overriding key in the merged key's place.
func TestJSONBodyKeepsWrittenOrder(t *testing.T) {
	tests := []struct {
		body string
		want any
	}{
		{`{b: 1, a: {z: x, y: [{d: 1, c: 2}]}}`,
			ob("b", 1, "a", ob("z", "x", "y", []any{ob("d", 1, "c", 2)}))},
		{`{"10": x, "2": y, name: "{{ n }}"}`, ob("10", "x", "2", "y", "name", "{{ n }}")},
		{`{1: a, true: b, ~: c, 1.5: d, 0x10: e}`, ob("1", "a", "true", "b", "null", "c", "1.5", "d", "16", "e")},
		{`{z: *x, a: 1}`, ob("z", ob("k", 1, "j", 2), "a", 1)},
		{`{<<: *x, a: 1, k: 3}`, ob("k", 3, "j", 2, "a", 1)},
		{`{a: 1, <<: *x}`, ob("a", 1, "k", 1, "j", 2)},
		{`[{b: 1, a: 2}, 3]`, []any{ob("b", 1, "a", 2), 3}},
		{`"{{ body }}"`, "{{ body }}"},
	}
	for _, tt := range tests {
		got, err := jsonOf(t, tt.body)
		if err != nil {
			t.Errorf("%s: %v", tt.body, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.body, diff)
		}
	}
	_, err := jsonOf(t, `{[a]: 1}`)
	if err == nil || !strings.Contains(err.Error(), "a key must be a string") {
		t.Errorf("a list as a key: %v", err)
	}
}

// ob builds an Object from key, value pairs.
func ob(kv ...any) templating.Object {
	o := make(templating.Object, 0, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		o = append(o, templating.Member{Key: kv[i].(string), Value: kv[i+1]})
	}
	return o
}

// TestOverriddenJSONBodyKeepsOrder: --overrides replaces lists whole, so
// a json body it writes is its own, in the order of its JSON text; a
// --config file merged over the script keeps the script's keys in place
// and adds its own after them, as lodash's merge does.
func TestOverriddenJSONBodyKeepsOrder(t *testing.T) {
	script := "config: {target: http://x}\nscenarios: [{flow: [{post: {url: /, json: {b: 1, a: {y: 1, x: 2}}}}]}]\n"
	over := `{"scenarios": [{"flow": [{"post": {"url": "/", "json": {"z": 1, "10": 2, "c": {"q": 1, "p": 2}}}}]}]}`
	s, err := ParseWith("j.yml", []byte(script), Options{Overrides: over})
	if err != nil {
		t.Fatal(err)
	}
	want := ob("z", 1, "10", 2, "c", ob("q", 1, "p", 2))
	if diff := cmp.Diff(want, s.Scenarios[0].Flow[0].Request.JSON); diff != "" {
		t.Errorf("overridden (-want +got):\n%s", diff)
	}
	dir := t.TempDir()
	path, common := filepath.Join(dir, "s.yml"), filepath.Join(dir, "c.yml")
	os.WriteFile(path, []byte(script), 0o644)
	os.WriteFile(common, []byte("scenarios: [{flow: [{post: {json: {c: 3, a: {w: 0, x: 9}, b: 2}}}]}]\n"), 0o644)
	if s, err = LoadWith(path, Options{ConfigFiles: []string{common}}); err != nil {
		t.Fatal(err)
	}
	want = ob("b", 2, "a", ob("y", 1, "x", 9, "w", 0), "c", 3)
	if diff := cmp.Diff(want, s.Scenarios[0].Flow[0].Request.JSON); diff != "" {
		t.Errorf("merged (-want +got):\n%s", diff)
	}
}

// FuzzJSONBody: no json body panics the decoder, and one it accepts is
// written as JSON, as it is and compiled.
func FuzzJSONBody(f *testing.F) {
	for _, s := range []string{`{b: 1, a: {z: [1, {y: 2}]}}`, `{"10": x, "2": y, 01: z}`, `{1: a, true: b, ~: c}`,
		`{<<: *x, a: 1}`, `[{b: 1}, *x]`, `{"{{ k }}": "{{ v }}", k: 1}`, `{? [a] : 1}`, `{a: !!binary aGk=}`, `"{{ body }}"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		got, err := jsonOf(t, body)
		if err != nil {
			return
		}
		if b := templating.AppendJSON(nil, got); !json.Valid(b) {
			t.Fatalf("%q: wrote %q", body, b)
		}
		v, err := templating.CompileValue(got)
		if err != nil {
			return
		}
		if b, ok := v.AppendJSON(nil, nil); ok && !json.Valid(b) {
			t.Fatalf("%q: compiled, wrote %q", body, b)
		}
	})
}
