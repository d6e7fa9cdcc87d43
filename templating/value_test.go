package templating

import (
	"math/rand/v2"
	"reflect"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCompileValueRender(t *testing.T) {
	body := map[string]any{
		"num":         "{{ n }}",
		"text":        "id-{{ name }}",
		"gone":        "{{ nope }}",
		"fn":          "{{ $foo(1) }}",
		"{{ name }}":  "key templated",
		"static":      map[string]any{"k": []any{1, "two"}},
		"list":        []any{"{{ n }}", "{{ nope }}", 3},
		"nested":      map[string]any{"deep": "{{ user.id }}"},
		"plain":       5,
		"obj":         "{{ m }}",
		"randomText":  "{{ $randomNumber(4, 4) }}",
		"undefKeyVal": map[string]any{"{{ nope }}": "v"},
		"fnInText":    "x-{{ $foo(2) }}",
		"undefInText": "x{{ nope }}",
	}
	want := map[string]any{
		"num":         7,
		"text":        "id-alice",
		"alice":       "key templated",
		"static":      map[string]any{"k": []any{1, "two"}},
		"list":        []any{7, Undefined, 3},
		"nested":      map[string]any{"deep": 42.0},
		"plain":       5,
		"obj":         map[string]any{"a": 1.0},
		"randomText":  "4",
		"undefKeyVal": map[string]any{"undefined": "v"},
		"undefInText": "xundefined",
	}
	v, err := CompileValue(body)
	if err != nil {
		t.Fatal(err)
	}
	got := v.Render(testScope())
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Render (-want +got):\n%s", diff)
	}
	if s := Stringify(got.(map[string]any)["list"]); s != "[7,null,3]" {
		t.Errorf("list with undefined encodes as %s, want [7,null,3]", s)
	}
}

func TestCompileValueSharesStaticSubtrees(t *testing.T) {
	static := map[string]any{"k": []any{1, "two"}}
	v := MustCompileValue(map[string]any{"s": static, "t": "{{ n }}"})
	got := v.Render(testScope()).(map[string]any)
	if reflect.ValueOf(got["s"]).UnsafePointer() != reflect.ValueOf(static).UnsafePointer() {
		t.Error("static subtree was copied, want it shared")
	}
	whole := MustCompileValue(static)
	if !whole.IsStatic() {
		t.Error("IsStatic() = false for a tree without templates")
	}
	if reflect.ValueOf(whole.Render(nil)).UnsafePointer() != reflect.ValueOf(static).UnsafePointer() {
		t.Error("static tree was copied")
	}
}

func TestCompileValueScalarsAndErrors(t *testing.T) {
	if got := MustCompileValue("{{ n }}").Render(testScope()); got != 7 {
		t.Errorf("top-level template rendered %#v", got)
	}
	if got := (Value{}).Render(nil); got != nil {
		t.Errorf("zero Value rendered %#v", got)
	}
	anyKeys := map[any]any{"a": "{{ n }}"}
	if got := MustCompileValue(anyKeys).Render(testScope()); !cmp.Equal(got, map[string]any{"a": 7}) {
		t.Errorf("map[any]any rendered %#v", got)
	}
	for _, bad := range []any{
		map[string]any{"x": "{{ $randomNumber(1 2) }}"},
		[]any{"{{ $randomString(9999999) }}"},
		map[any]any{1: "x"},
		map[string]any{"{{ $randomNumber(1 2) }}": 1},
	} {
		if _, err := CompileValue(bad); err == nil {
			t.Errorf("CompileValue(%#v) succeeded, want an error", bad)
		}
	}
}

// TestValueConcurrentRender renders one compiled Value from several
// goroutines, each with its own scope, as VUs do; go test -race checks it.
func TestValueConcurrentRender(t *testing.T) {
	v := MustCompileValue(map[string]any{"a": "{{ n }}-{{ $randomString(4) }}", "b": []any{"{{ n }}"}})
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			sc := &MapScope{Vars: map[string]any{"n": g}, Rnd: rand.New(rand.NewPCG(uint64(g), 1))}
			for range 50 {
				out := v.Render(sc).(map[string]any)
				if out["b"].([]any)[0] != g {
					t.Errorf("goroutine %d rendered %v", g, out)
					return
				}
			}
		})
	}
	wg.Wait()
}

// TestValueAppendJSONAsRendered holds the direct JSON writing of a value
// to the JSON of its rendering.
func TestValueAppendJSONAsRendered(t *testing.T) {
	sc := &MapScope{Vars: map[string]any{"user": "ann", "n": 3.0, "obj": map[string]any{"b": 1.0, "a": "x"},
		"list": []any{1.0, "two"}, "k": "key"}}
	values := []any{
		map[string]any{"user": "{{ user }}", "nonce": "n-{{ n }}", "zz": 1.0, "aa": true},
		map[string]any{"b": map[string]any{"y": "{{ user }}", "x": "{{ missing }}"}, "a": []any{"{{ n }}", map[string]any{"q": "{{ user }}"}}},
		map[string]any{"gone": "{{ missing }}", "obj": "{{ obj }}", "list": "{{ list }}", "quote\"d": "é\n{{ user }}"},
		map[string]any{"{{ k }}": "{{ user }}", "key": "static loses or wins"},
		map[string]any{"only": "{{ missing }}"},
		"{{ obj }}", "{{ missing }}", "{{ user }}", []any{"{{ missing }}", 1.0}, nil, 2.5,
	}
	for _, raw := range values {
		v := MustCompileValue(raw)
		want := v.Render(sc)
		got, ok := v.AppendJSON([]byte("prefix:"), sc)
		if ok != !IsUndefined(want) {
			t.Errorf("%v: defined %v, rendered %#v", raw, ok, want)
			continue
		}
		if ok && string(got) != "prefix:"+string(AppendJSON(nil, want)) {
			t.Errorf("%v: %s, want prefix:%s", raw, got, AppendJSON(nil, want))
		}
	}
	body := MustCompileValue(map[string]any{"user": "{{ user }}", "nonce": "{{ n }}", "fixed": "x"})
	buf := make([]byte, 0, 256)
	if n := testing.AllocsPerRun(20, func() { body.AppendJSON(buf[:0], sc) }); n > 0 {
		t.Errorf("%.0f allocations writing a json body of static keys, want none", n)
	}
}
