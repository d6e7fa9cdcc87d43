package templating

import (
	"math/rand/v2"
	"testing"
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
