package payload

import (
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func boolp(b bool) *bool { return &b }

func TestParseRows(t *testing.T) {
	tests := []struct {
		name string
		csv  string
		opts Options
		want [][]any
	}{
		{"numbers cast by default", "alice,42\nbob,7\n", Options{},
			[][]any{{"alice", 42.0}, {"bob", 7.0}}},
		{"cast off keeps text", "alice,42\n", Options{Cast: boolp(false)},
			[][]any{{"alice", "42"}}},
		{"header skipped", "name,age\nalice,42\n", Options{SkipHeader: true},
			[][]any{{"alice", 42.0}}},
		{"header skip drops an empty first line", "\nname\nalice\n", Options{SkipHeader: true},
			[][]any{{"name"}, {"alice"}}},
		{"empty lines skipped by default", "a,1\n\n\nb,2", Options{},
			[][]any{{"a", 1.0}, {"b", 2.0}}},
		{"empty line kept as one empty cell", "a\n\nb\n", Options{SkipEmptyLines: boolp(false)},
			[][]any{{"a"}, {""}, {"b"}}},
		{"quoted fields", "\"a,b\",\"say \"\"hi\"\"\"\n", Options{},
			[][]any{{"a,b", `say "hi"`}}},
		{"quoted line break", "\"line1\nline2\",x\n", Options{},
			[][]any{{"line1\nline2", "x"}}},
		{"quoted empty line is a record", "a\n\"\"\n", Options{},
			[][]any{{"a"}, {""}}},
		{"quoted number is cast", "\"42\"\n", Options{},
			[][]any{{42.0}}},
		{"crlf", "a,1\r\nb,2\r\n", Options{},
			[][]any{{"a", 1.0}, {"b", 2.0}}},
		{"first line break decides", "a\nb\r\nc\n", Options{},
			[][]any{{"a"}, {"b\r"}, {"c"}}},
		{"old mac line breaks", "a\rb\r", Options{},
			[][]any{{"a"}, {"b"}}},
		{"custom delimiter", "a;1\nb;2\n", Options{Delimiter: ";"},
			[][]any{{"a", 1.0}, {"b", 2.0}}},
		{"multi-byte delimiter", "a::1\n", Options{Delimiter: "::"},
			[][]any{{"a", 1.0}}},
		{"trailing delimiter adds a field", "a,\nb,\n", Options{},
			[][]any{{"a", ""}, {"b", ""}}},
		{"bom dropped", "\ufeffalice,1\n", Options{},
			[][]any{{"alice", 1.0}}},
		{"empty file", "", Options{}, [][]any{}},
		{"only header", "name,age", Options{SkipHeader: true}, [][]any{}},
		{"spaces kept", " a , b \n", Options{}, [][]any{{" a ", " b "}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := Parse([]byte(tt.csv), "t.csv", tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, tab.Rows()); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCast(t *testing.T) {
	tests := []struct {
		in   string
		want any
	}{
		{"42", 42.0},
		{"-3.5", -3.5},
		{" 7 ", 7.0},
		{"1e3", 1000.0},
		{".5", 0.5},
		{"5.", 5.0},
		{"+5", 5.0},
		{"007", 7.0},
		{"0x1F", 0.0},
		{"0b1", 0.0},
		{"", ""},
		{"  ", "  "},
		{"abc", "abc"},
		{"12abc", "12abc"},
		{"Infinity", "Infinity"},
		{"1e400", "1e400"},
		{"1_000", "1_000"},
		{"12345678901234567890", 12345678901234567890.0},
	}
	for _, tt := range tests {
		if got := Cast(tt.in); got != tt.want {
			t.Errorf("Cast(%q) = %#v, want %#v", tt.in, got, tt.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, csv string
		opts      Options
		line      int
		msg       string
	}{
		{"ragged record", "a,b\nc,d\ne\n", Options{}, 3, "1 fields, but the first record has 2"},
		{"empty line breaks the width", "a,b\n\nc,d\n", Options{SkipEmptyLines: boolp(false)}, 2, "first record has 2"},
		{"quote in unquoted field", "a,b\"c\n", Options{}, 1, "quote inside an unquoted field"},
		{"text after closing quote", "x\n\"a\"b,c\n", Options{}, 2, "after a closing quote"},
		{"unclosed quote", "a\n\"b\nc\n", Options{}, 2, "never closed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.csv), "data.csv", tt.opts)
			var le *LineError
			if !errors.As(err, &le) {
				t.Fatalf("err = %v, want a *LineError", err)
			}
			if le.Line != tt.line || le.Source != "data.csv" || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("err = %q (line %d), want line %d containing %q", err, le.Line, tt.line, tt.msg)
			}
		})
	}
	for _, opts := range []Options{{Order: "Sequence"}, {Delimiter: "\""}, {Delimiter: "\n"}} {
		if _, err := Parse([]byte("a\n"), "x.csv", opts); err == nil || !strings.Contains(err.Error(), "x.csv") {
			t.Errorf("Parse with %+v: err = %v, want an error naming x.csv", opts, err)
		}
	}
}

func TestSequencePickWraps(t *testing.T) {
	tab := mustParse(t, "name\nalice\nbob\ncarol\n", Options{
		Fields: []string{"name"}, Order: OrderSequence, SkipHeader: true,
	})
	var got []any
	for n := range uint64(5) {
		got = append(got, tab.Pick(n, nil)["name"])
	}
	want := []any{"alice", "bob", "carol", "alice", "bob"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("sequence (-want +got):\n%s", diff)
	}
}

// Run n gets row n mod rows whatever the order the runs pick in, so that
// the shares of a segmented test, each picking for its own runs, hand out
// the rows a single run does.
func TestSequencePickFollowsTheRunNumber(t *testing.T) {
	tab := mustParse(t, "1\n2\n3\n4\n", Options{Fields: []string{"n"}, Order: OrderSequence})
	var mu sync.Mutex
	got := make(map[uint64]any)
	var wg sync.WaitGroup
	for w := range uint64(4) {
		wg.Go(func() {
			for n := 399 - w; n < 400; n -= 4 { // runs w, 4+w, … backwards; wraps below 0
				v := tab.Pick(n, nil)["n"]
				mu.Lock()
				got[n] = v
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	for n := range uint64(400) {
		if want := float64(n%4 + 1); got[n] != want {
			t.Fatalf("run %d got row %v, want %v", n, got[n], want)
		}
	}
}

func TestRandomPick(t *testing.T) {
	tab := mustParse(t, "a,1\nb,2\nc,3\n", Options{Fields: []string{"name", "n"}})
	r := rand.New(rand.NewPCG(5, 6))
	seen := map[any]bool{}
	for range 100 {
		vars := tab.Pick(0, r)
		seen[vars["name"]] = true
		if len(vars) != 2 {
			t.Fatalf("Pick = %v, want 2 fields", vars)
		}
	}
	if len(seen) != 3 {
		t.Errorf("100 random picks saw %v, want all 3 rows", seen)
	}
	again := func() any { return tab.Pick(0, rand.New(rand.NewPCG(1, 1)))["name"] }
	if again() != again() {
		t.Error("same seed picked different rows")
	}
}

func TestPickFields(t *testing.T) {
	tab := mustParse(t, "a,1\n", Options{Fields: []string{"name", "n", "extra"}})
	vars := map[string]any{"extra": "old", "keep": 1}
	tab.PickInto(vars, 0, nil)
	want := map[string]any{"name": "a", "n": 1.0, "keep": 1}
	if diff := cmp.Diff(want, vars); diff != "" {
		t.Errorf("PickInto (-want +got):\n%s", diff)
	}
	empty := mustParse(t, "", Options{Fields: []string{"name"}})
	if got := empty.Pick(0, nil); len(got) != 0 {
		t.Errorf("empty payload picked %v, want no variables", got)
	}
}

func TestLoadAll(t *testing.T) {
	csv := "id,name\n1,a\n2,b\n"
	tests := []struct {
		name string
		opts Options
		want map[string]any
	}{
		{"rows as objects", Options{LoadAll: true, Name: "users", Fields: []string{"id", "name"}, SkipHeader: true},
			map[string]any{"users": []any{
				map[string]any{"id": 1.0, "name": "a"}, map[string]any{"id": 2.0, "name": "b"}}}},
		{"rows as lists", Options{LoadAll: true, Name: "rows"},
			map[string]any{"rows": []any{[]any{"id", "name"}, []any{1.0, "a"}, []any{2.0, "b"}}}},
		{"explicit order picks one row", Options{LoadAll: true, Name: "row", Order: OrderSequence, SkipHeader: true},
			map[string]any{"row": []any{1.0, "a"}}},
		{"no name sets nothing", Options{LoadAll: true, Fields: []string{"id"}}, map[string]any{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mustParse(t, csv, tt.opts).Pick(0, nil)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Pick (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSetLaterWins(t *testing.T) {
	s := Set{
		mustParse(t, "a,1\n", Options{Fields: []string{"x", "y"}}),
		mustParse(t, "b\n", Options{Fields: []string{"x"}}),
	}
	want := map[string]any{"x": "b", "y": 1.0}
	if diff := cmp.Diff(want, s.Pick(0, nil)); diff != "" {
		t.Errorf("Set.Pick (-want +got):\n%s", diff)
	}
}

func TestLoadAndRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "users.csv")
	if err := os.WriteFile(path, []byte("u1\nu2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tab, err := Load(path, Options{Fields: []string{"u"}})
	if err != nil || tab.Len() != 2 || tab.Source() != path {
		t.Fatalf("Load = %v, %v", tab, err)
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing.csv"), Options{}); err == nil ||
		!strings.Contains(err.Error(), "missing.csv") {
		t.Errorf("Load of a missing file: err = %v, want it to name the file", err)
	}
	tab, err = Read(strings.NewReader("a;b\n"), "stdin", Options{Delimiter: ";"})
	if err != nil || !cmp.Equal(tab.Rows(), [][]any{{"a", "b"}}) {
		t.Errorf("Read = %v, %v", tab.Rows(), err)
	}
}

func mustParse(t *testing.T, csv string, opts Options) *Table {
	t.Helper()
	tab, err := Parse([]byte(csv), "test.csv", opts)
	if err != nil {
		t.Fatal(err)
	}
	return tab
}
