package templating

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"testing"
	"unicode/utf8"
)

func FuzzCompile(f *testing.F) {
	for _, s := range []string{
		"", "plain", "{{ a }}", "x{{ a.b[0] }}y", "{{{ a }}}", "{{ $randomNumber(1, 9) }}",
		"{{ $randomString() }}-{{ a }}", "{{ $foo(1) }}", "{{ $randomNumber(1 2) }}",
		"{{ $env.HOME }}", "{{ a['x'] }}", "{{", "}}{{", "{{ a[\"q\\\"\"] }}",
		"{{ $randomNumber(true) }}", "{{ $randomString(0x10) }}", "{{ a..b }}",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tpl, err := Compile(s)
		if err != nil {
			return
		}
		sc := fuzzScope()
		_ = tpl.Render(sc)
		_ = tpl.RenderString(sc)
		if tpl.IsStatic() && tpl.RenderString(sc) != s {
			t.Fatalf("static template %q rendered differently", s)
		}
	})
}

func FuzzRender(f *testing.F) {
	f.Add("{{ a }}", "v", "a.b")
	f.Add("x-{{ a.b }}-{{ $randomNumber(1, 3) }}", "1e3", "c")
	f.Add("{{ c[0] }}", "", "[")
	f.Fuzz(func(t *testing.T, src, value, key string) {
		v, err := CompileValue(map[string]any{key: src, "l": []any{src, 1}})
		if err != nil {
			return
		}
		sc := fuzzScope()
		sc.Vars[key] = value
		out := v.Render(sc)
		_ = Stringify(out)
		_ = JSString(out)
		_ = ToNumber(value)
		_ = ParseFloatPrefix(value)
		_, _ = Get(sc.Vars, key)
		SetPath(map[string]any{}, key, value)
	})
}

func fuzzScope() *MapScope {
	return &MapScope{
		Vars: map[string]any{
			"a": map[string]any{"b": []any{1.0, "x"}},
			"c": []any{nil, Undefined},
		},
		Environ: EnvMap(map[string]string{"HOME": "/h"}),
		Rnd:     rand.New(rand.NewPCG(1, 1)),
	}
}

// FuzzObjectJSON writes Objects with static and templated keys: the text
// must be JSON with the members Render gives.
func FuzzObjectJSON(f *testing.F) {
	f.Add("10", "{{ a.b[0] }}", "x{{ c }}", "2")
	f.Add("{{ a.b[1] }}", "x", "x", "{{ nope }}")
	f.Add("é\x00\"", "{{ c[0] }}", "01", "{{ $randomNumber(1, 3) }}")
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2 string) {
		if !validUTF8(k1, v1, k2, v2) {
			return // two keys could then be one in JSON (\ufffd), as in no script
		}
		src := Object{{k1, v1}, {k2, []any{Object{{v1, k1}, {"1", v2}}}}, {"t{{ a.b[1] }}", v2}, {v2, Object{{k2, 1}}}}
		v, err := CompileValue(src)
		if err != nil {
			return
		}
		// The two render in other orders: random functions must not
		// tell them apart.
		sc := fuzzScope()
		sc.Rnd = rand.New(sameSource{})
		direct, _ := v.AppendJSON(nil, sc)
		rendered := AppendJSON(nil, v.Render(sc))
		var a, b any
		if err := json.Unmarshal(direct, &a); err != nil {
			t.Fatalf("%q: %v", direct, err)
		}
		if err := json.Unmarshal(rendered, &b); err != nil || !reflect.DeepEqual(a, b) {
			t.Fatalf("written %s, rendered %s", direct, rendered)
		}
	})
}

type sameSource struct{}

func (sameSource) Uint64() uint64 { return 1 << 62 }

func validUTF8(ss ...string) bool {
	for _, s := range ss {
		if !utf8.ValidString(s) {
			return false
		}
	}
	return true
}
