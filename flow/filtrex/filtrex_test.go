package filtrex

import (
	"errors"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/surge-dev/surge/templating"
)

var data = map[string]any{"n": 7, "s": "abc", "http.codes.200": int64(5), "zero": 0.0, "list": []any{1.0, 2.0, 3.0},
	"obj": map[string]any{"a": 1.0}, "t": true, "num": "42", "name": "Hassy"}

func lookup(name string) (any, bool) { v, ok := data[name]; return v, ok }

// The expected values were produced by filtrex 2.2.3 itself (the version
// Artillery 2.0.34 ships) on the same data.
func TestEvalMatchesFiltrex(t *testing.T) {
	tests := []struct {
		expr string
		want any
	}{
		{"n > 5", 1.0}, {`n > 5 and s == "abc"`, 1.0}, {"not n", 0.0}, {"not zero", 1.0},
		{"n + 1", 8.0}, {"s + 1", "abc1"}, {"-2^2", 4.0}, {"2^3^2", 64.0},
		{"1 ? 2 : 3 ? 4 : 5", 4.0}, {"0 ? 2 : 0 ? 4 : 5", 5.0}, {"'http.codes.200' < 10", 1.0},
		{"missing", templating.Undefined}, {"missing == 0", 0.0}, {"num == 42", 1.0}, {"num < 100", 1.0},
		{`s < "abd"`, 1.0}, {"t == 1", 1.0}, {"n % 4", 3.0}, {"n / 0", math.Inf(1)},
		{"2 in (1, 2, 3)", 1.0}, {"4 not in (1,2)", 1.0}, {"list", []any{1.0, 2.0, 3.0}}, {"a of obj", 1.0},
		{"abs(-3) + max(1, 9, 2)", 12.0}, {`s ~= "^a.c$"`, 1.0}, {"not n == 0", 1.0},
		{"(n > 5) + (n > 6)", 2.0}, {`name == "Hassy"`, 1.0}, {"n >= 7 or missing", 1.0},
		{"1 + 2 * 3 - 4 / 2", 5.0}, {"round(2.5)", 3.0}, {"round(-2.5)", -2.0}, {"7 < 10 and 3", 3.0},
		{`"a\"b"`, `a"b`}, {"'s'", "abc"}, {"n<5?1:0", 0.0},
	}
	for _, tt := range tests {
		e, err := Compile(tt.expr)
		if err != nil {
			t.Errorf("%s: compile: %v", tt.expr, err)
			continue
		}
		got, err := e.Eval(lookup)
		if err != nil {
			t.Errorf("%s: eval: %v", tt.expr, err)
			continue
		}
		if !cmp.Equal(got, tt.want) {
			t.Errorf("%s = %#v, want %#v", tt.expr, got, tt.want)
		}
	}
}

func TestCompileErrors(t *testing.T) {
	for _, expr := range []string{"name === 'Hassy'", "not(n)", "", "(", "1 +", "5a", `"open`, `'bad\n'`, "a ? b", "()"} {
		if _, err := Compile(expr); err == nil {
			t.Errorf("%q compiled", expr)
		}
	}
}

func TestUnknownFunctionIsAnEvalError(t *testing.T) {
	e, err := Compile("foo(1) > 0")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Eval(lookup); !errors.Is(err, ErrUnknownFunction) {
		t.Fatalf("got %v", err)
	}
}

func TestTruthy(t *testing.T) {
	for v, want := range map[any]bool{0.0: false, 1: true, "": false, "x": true, nil: false, templating.Undefined: false, math.NaN(): false, true: true} {
		if Truthy(v) != want {
			t.Errorf("Truthy(%v) != %v", v, want)
		}
	}
}

func FuzzCompile(f *testing.F) {
	for _, s := range []string{"n > 5 and s == \"x\"", "a ? b : c", "x in (1,2)", "'q.r' of o", "max(1,2)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		e, err := Compile(src)
		if err != nil {
			return
		}
		e.Eval(lookup) // must not panic
	})
}
