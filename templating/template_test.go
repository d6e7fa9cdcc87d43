package templating

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func testScope() *MapScope {
	return &MapScope{
		Vars: map[string]any{
			"n":          7,
			"f":          0.1,
			"name":       "alice",
			"empty":      "",
			"zero":       0,
			"no":         false,
			"null":       nil,
			"nan":        math.NaN(),
			"m":          map[string]any{"a": 1.0},
			"l":          []any{"x", 2.0},
			"user":       map[string]any{"id": 42.0, "tags": []any{"a", "b"}},
			"items":      []any{map[string]any{"id": "i0"}, map[string]any{"id": "i1"}},
			"a.b":        "literal",
			"a":          map[string]any{"b": "nested"},
			"undef":      Undefined,
			"my-var":     "dash",
			"$uuid":      "u-1",
			"$loopCount": 3,
		},
		Environ: EnvMap(map[string]string{"HOME": "/home/x", "EMPTY": ""}),
		Rnd:     rand.New(rand.NewPCG(1, 2)),
	}
}

func TestRenderTypedWholeString(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want any
	}{
		{"number keeps its type", "{{ n }}", 7},
		{"no spaces", "{{n}}", 7},
		{"triple braces", "{{{ n }}}", 7},
		{"float", "{{ f }}", 0.1},
		{"false stays false", "{{ no }}", false},
		{"zero stays zero", "{{ zero }}", 0},
		{"null stays null", "{{ null }}", nil},
		{"empty string", "{{ empty }}", ""},
		{"NaN becomes empty", "{{ nan }}", ""},
		{"object", "{{ m }}", map[string]any{"a": 1.0}},
		{"list", "{{ l }}", []any{"x", 2.0}},
		{"dotted path", "{{ user.id }}", 42.0},
		{"index", "{{ items[1].id }}", "i1"},
		{"dotted index", "{{ user.tags.0 }}", "a"},
		{"list length", "{{ user.tags.length }}", 2},
		{"literal key wins over path", "{{ a.b }}", "literal"},
		{"dash in name", "{{ my-var }}", "dash"},
		{"builtin var", "{{ $uuid }}", "u-1"},
		{"loop count", "{{ $loopCount }}", 3},
		{"env", "{{ $env.HOME }}", "/home/x"},
		{"processEnvironment", "{{ $processEnvironment.HOME }}", "/home/x"},
		{"empty env value", "{{ $env.EMPTY }}", ""},
		{"missing env", "{{ $env.NOPE }}", Undefined},
		{"undefined variable", "{{ nope }}", Undefined},
		{"stored undefined", "{{ undef }}", Undefined},
		{"missing path", "{{ user.nope.x }}", Undefined},
		{"unknown function", "{{ $foo(1) }}", Undefined},
		{"$uuid is not a function", "{{ $uuid() }}", Undefined},
		{"unknown function in text", "x-{{ $foo(2) }}", Undefined},
		{"unknown after a known one", "{{ $randomNumber(1,2) }}{{ $foo() }}", Undefined},
		{"timestamp is not built in", "{{ $timestamp }}", Undefined},
	}
	sc := testScope()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := MustCompile(tt.src).Render(sc)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Render(%q) mismatch (-want +got):\n%s", tt.src, diff)
			}
		})
	}
}

func TestRenderText(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string
	}{
		{"static", "hello", "hello"},
		{"undefined in text", "x{{ nope }}", "xundefined"},
		{"undefined in url", "/t?q={{ nope }}", "/t?q=undefined"},
		{"two vars", "{{ name }}-{{ n }}", "alice-7"},
		{"same var twice", "{{ n }}{{ n }}", "77"},
		{"object as JSON", "v={{ m }}", `v={"a":1}`},
		{"list as JSON", "v={{ l }}", `v=["x",2]`},
		{"null as JSON", "v={{ null }}", "v=null"},
		{"float prints as JS", "v={{ f }}", "v=0.1"},
		{"boolean", "v={{ no }}", "v=false"},
		{"NaN in text", "v={{ nan }}", "v=NaN"},
		{"operators are not templates", "{{ n + 1 }}", "{{ n + 1 }}"},
		{"negative args are not calls", "{{ $randomNumber(-1, 5) }}", "{{ $randomNumber(-1, 5) }}"},
		{"extra closing brace is eaten", "{{ n }}}x", "7x"},
		{"template arg prints", "a{{ $template(5) }}", "a5"},
		{"leading space defeats typing", " {{ n }}", " 7"},
	}
	sc := testScope()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tpl := MustCompile(tt.src)
			if got := tpl.RenderString(sc); got != tt.want {
				t.Errorf("RenderString(%q) = %q, want %q", tt.src, got, tt.want)
			}
			if got := string(tpl.AppendString([]byte("<"), sc)); got != "<"+tt.want {
				t.Errorf("AppendString(%q) = %q, want %q", tt.src, got, "<"+tt.want)
			}
		})
	}
}

func TestRenderStringOfWholeString(t *testing.T) {
	sc := testScope()
	for src, want := range map[string]string{
		"{{ nope }}": "undefined",
		"{{ m }}":    `{"a":1}`,
		"{{ n }}":    "7",
		"{{ null }}": "null",
	} {
		if got := MustCompile(src).RenderString(sc); got != want {
			t.Errorf("RenderString(%q) = %q, want %q", src, got, want)
		}
	}
}

func TestFunctions(t *testing.T) {
	alnum := regexp.MustCompile(`^[a-zA-Z0-9]*$`)
	tests := []struct {
		src   string
		check func(v any) bool
	}{
		{"{{ $randomNumber(1, 9) }}", inRange(1, 9)},
		{"{{$randomNumber(5,5)}}", inRange(5, 5)},
		{"{{ $randomNumber(9, 1) }}", inRange(1, 9)},
		{"{{ $randomNumber(3) }}", inRange(0, 3)},
		{"{{ $randomNumber() }}", inRange(0, 1)},
		{"{{ $randomNumber(0x10, 0x10) }}", inRange(16, 16)},
		{"{{ $randomString() }}", func(v any) bool { s, _ := v.(string); return len(s) == 10 && alnum.MatchString(s) }},
		{"{{ $randomString(3) }}", func(v any) bool { s, _ := v.(string); return len(s) == 3 && alnum.MatchString(s) }},
		{"{{ $randomString(len) }}", func(v any) bool { s, _ := v.(string); return len(s) == 10 }},
		{"{{ $randomString(null) }}", func(v any) bool { return v == "" }},
		{"id-{{ $randomString(4) }}-{{ n }}", func(v any) bool {
			s, _ := v.(string)
			return len(s) == len("id-xxxx-7") && strings.HasSuffix(s, "-7")
		}},
	}
	sc := testScope()
	for _, tt := range tests {
		tpl := MustCompile(tt.src)
		for range 50 {
			if v := tpl.Render(sc); !tt.check(v) {
				t.Fatalf("Render(%q) = %#v", tt.src, v)
			}
		}
	}
}

// inRange checks a $randomNumber result: a string (function results are
// always text) holding an integer in [lo, hi].
func inRange(lo, hi float64) func(any) bool {
	return func(v any) bool {
		s, ok := v.(string)
		f := StringToNumber(s)
		return ok && f == math.Trunc(f) && f >= lo && f <= hi
	}
}

func TestRandomNumberCoversRange(t *testing.T) {
	tpl := MustCompile("{{ $randomNumber(1, 3) }}")
	sc := testScope()
	seen := map[any]int{}
	for range 300 {
		seen[tpl.Render(sc)]++
	}
	if len(seen) != 3 || seen["1"] == 0 || seen["3"] == 0 {
		t.Errorf("$randomNumber(1, 3) over 300 draws = %v, want 1, 2 and 3", seen)
	}
}

func TestFunctionsAreDeterministicPerSeed(t *testing.T) {
	tpl := MustCompile("{{ $randomString(8) }}/{{ $randomNumber(1, 1000000) }}")
	render := func() string {
		return tpl.RenderString(&MapScope{Rnd: rand.New(rand.NewPCG(9, 9))})
	}
	if a, b := render(), render(); a != b {
		t.Errorf("same seed rendered %q and %q", a, b)
	}
}

func TestCompileErrors(t *testing.T) {
	for _, src := range []string{
		"{{ $randomNumber(1 2) }}",
		"{{ $randomNumber(1,,2) }}",
		"{{ $randomNumber(1a) }}",
		"{{ $randomNumber(0x) }}",
		"{{ $foo(,) }}",
		"{{ $randomString(2000000) }}",
		"{{ n", "x {{ a }} {{ b }", "{{ a {{ b }}", "{{{ a", "{{",
	} {
		if _, err := Compile(src); err == nil {
			t.Errorf("Compile(%q) succeeded, want an error", src)
		}
	}
	for _, src := range []string{"{{ $randomNumber(1, 2,) }}", "{{ $randomNumber( ) }}", "{{ $randomNumber(07, 08) }}",
		"}}{{ a }}", "{{{ a }}}", "{{ a }}}}", "{ {"} {
		if _, err := Compile(src); err != nil {
			t.Errorf("Compile(%q): %v", src, err)
		}
	}
}

// TestUnclosedTemplateSaysWhere: the error quotes the opening braces and
// counts characters, not bytes.
func TestUnclosedTemplateSaysWhere(t *testing.T) {
	_, err := Compile("é {{ ok }} {{{ name")
	if err == nil || err.Error() != `"{{{" at character 12 is never closed with "}}"` {
		t.Fatalf("got %v", err)
	}
}

func TestNilScope(t *testing.T) {
	if got := MustCompile("a{{ x }}").RenderString(nil); got != "aundefined" {
		t.Errorf("RenderString(nil) = %q", got)
	}
	if got := MustCompile("{{ x }}").Render(nil); got != Undefined {
		t.Errorf("Render(nil) = %#v", got)
	}
}

func TestNewUUID(t *testing.T) {
	v4 := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	r := rand.New(rand.NewPCG(3, 4))
	a, b := NewUUID(r), NewUUID(r)
	if !v4.MatchString(a) || !v4.MatchString(b) || a == b {
		t.Errorf("NewUUID gave %q and %q", a, b)
	}
	if !v4.MatchString(NewUUID(nil)) {
		t.Error("NewUUID(nil) is not a v4 UUID")
	}
	// The bytes drawn, in order, as hex: the same source gives the same
	// UUID as the fmt.Sprintf("%x-%x-…") spelling did.
	if got := NewUUID(rand.New(rand.NewPCG(3, 4))); got != a {
		t.Errorf("NewUUID is not a function of its source: %q, then %q", a, got)
	}
	r = rand.New(rand.NewPCG(3, 4))
	u1, u2 := r.Uint64(), r.Uint64()
	var raw [16]byte
	binary.LittleEndian.PutUint64(raw[:8], u1)
	binary.LittleEndian.PutUint64(raw[8:], u2)
	raw[6], raw[8] = raw[6]&0x0f|0x40, raw[8]&0x3f|0x80
	want := fmt.Sprintf("%x-%x-%x-%x-%x", raw[0:4], raw[4:6], raw[6:8], raw[8:10], raw[10:16])
	if a != want {
		t.Errorf("NewUUID = %q, want %q", a, want)
	}
	if n := testing.AllocsPerRun(10, func() { NewUUID(r) }); n > 1 {
		t.Errorf("NewUUID made %.0f allocations, want 1", n)
	}
}
