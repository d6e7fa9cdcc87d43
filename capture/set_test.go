package capture

import (
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/surge-dev/surge/templating"
)

func TestSetRun(t *testing.T) {
	body := `{"token":"tok1","user":{"id":7}}`
	tests := []struct {
		name          string
		specs         []Spec
		defaultStrict bool
		wantFailed    bool
		wantValues    []Captured
	}{
		{"all captured in order", []Spec{
			{JSON: "$.token", As: "token"},
			{JSON: "$.user.id", As: "user.id"},
			{Header: "x-session", As: "session"},
		}, true, false, []Captured{{"token", "tok1"}, {"user.id", 7.0}, {"session", "s1"}}},
		{"strict failure blocks every assignment", []Spec{
			{JSON: "$.token", As: "token"},
			{JSON: "$.missing", As: "m"},
		}, true, true, nil},
		{"non-strict failure still assigns its value", []Spec{
			{JSON: "$.token", As: "token"},
			{Regexp: "zzz", As: "r", Strict: boolp(false)},
			{JSON: "$.missing", As: "m", Strict: boolp(false)},
		}, true, false, []Captured{{"token", "tok1"}, {"r", ""}, {"m", templating.Undefined}}},
		{"default strictCapture false", []Spec{{JSON: "$.missing", As: "m"}}, false, false,
			[]Captured{{"m", templating.Undefined}}},
		{"explicit strict beats default", []Spec{{JSON: "$.missing", As: "m", Strict: boolp(true)}}, false, true, nil},
		{"match success", []Spec{{JSON: "$.user.id", Value: "{{ id }}", HasValue: true}}, true, false, nil},
		{"match compares types strictly", []Spec{{JSON: "$.user.id", Value: "7", HasValue: true}}, true, true, nil},
		{"match failure is strict even when captures are not", []Spec{{JSON: "$.token", Value: "x", HasValue: true}}, false, true, nil},
		{"non-strict match failure", []Spec{{JSON: "$.token", Value: "x", HasValue: true, Strict: boolp(false)}}, true, false, nil},
		{"undefined equals undefined", []Spec{{JSON: "$.nope", Value: "{{ nope }}", HasValue: true}}, true, false, nil},
		{"objects never match", []Spec{{JSON: "$.user", Value: map[string]any{"id": 7.0}, HasValue: true}}, true, true, nil},
	}
	resp := NewResponse(200, http.Header{"X-Session": {"s1"}}, []byte(body))
	sc := &templating.MapScope{Vars: map[string]any{"id": 7}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set, err := NewSet(tt.specs...)
			if err != nil {
				t.Fatal(err)
			}
			out := set.Run(resp, sc, tt.defaultStrict)
			if out.Failed != tt.wantFailed {
				t.Errorf("Failed = %v, want %v (problems %q)", out.Failed, tt.wantFailed, out.Problems)
			}
			if diff := cmp.Diff(tt.wantValues, out.Values); diff != "" {
				t.Errorf("Values (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSetRunReportsProblems(t *testing.T) {
	set, err := NewSet(Spec{JSON: "$.a", As: "a"}, Spec{Regexp: "x", Value: "y", HasValue: true})
	if err != nil {
		t.Fatal(err)
	}
	out := set.Run(NewResponse(200, nil, []byte("not json")), nil, true)
	if !out.Failed || len(out.Problems) != 2 {
		t.Errorf("Run = %+v, want a failure with 2 problems", out)
	}
	if set.Len() != 2 {
		t.Errorf("Len = %d", set.Len())
	}
	if _, err := NewSet(Spec{As: "x"}); err == nil {
		t.Error("NewSet accepted a capture without an extractor")
	}
}

func TestParseSpecs(t *testing.T) {
	one := map[string]any{"json": "$.a", "as": "a", "strict": false, "group": 1, "value": nil, "flags": "i", "multiple": false}
	specs, err := ParseSpecs(one)
	if err != nil {
		t.Fatal(err)
	}
	want := Spec{JSON: "$.a", As: "a", Strict: boolp(false), Group: 1, HasValue: true, Flags: "i", Multiple: boolp(false)}
	if diff := cmp.Diff([]Spec{want}, specs); diff != "" {
		t.Errorf("ParseSpecs(map) (-want +got):\n%s", diff)
	}
	specs, err = ParseSpecs([]any{map[string]any{"header": "x", "as": "h"}, map[string]any{"regexp": "r", "as": "r"}})
	if err != nil || len(specs) != 2 || specs[0].Header != "x" || specs[1].Regexp != "r" {
		t.Errorf("ParseSpecs(list) = %+v, %v", specs, err)
	}
	// A misspelled key was ignored and its setting lost without a word.
	if _, err := ParseSpecs(map[string]any{"json": "$.a", "as": "a", "strcit": false}); err == nil || !strings.Contains(err.Error(), `unknown key "strcit"; did you mean "strict"?`) {
		t.Errorf("a misspelled key: %v", err)
	}
	if specs, err := ParseSpecs(nil); err != nil || specs != nil {
		t.Errorf("ParseSpecs(nil) = %v, %v", specs, err)
	}
	for _, bad := range []any{"x", []any{"x"}, map[string]any{"json": 1}, map[string]any{"strict": "no"}} {
		if _, err := ParseSpecs(bad); err == nil {
			t.Errorf("ParseSpecs(%#v) succeeded", bad)
		}
	}
}

// TestSetConcurrentUse runs one compiled Set from several goroutines, as
// VUs share it; go test -race checks it holds no hidden mutable state.
func TestSetConcurrentUse(t *testing.T) {
	set, err := NewSet(
		Spec{JSON: "$.items[*].id", As: "id"},
		Spec{JSON: "$.{{ key }}", As: "dyn"},
		Spec{Regexp: `"id":(\d+)`, Group: 1, As: "re"},
	)
	if err != nil {
		t.Fatal(err)
	}
	body := []byte(`{"items":[{"id":1},{"id":2}],"k":"v"}`)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			sc := &templating.MapScope{Vars: map[string]any{"key": "k"}, Rnd: rand.New(rand.NewPCG(uint64(g), 0))}
			for range 50 {
				if out := set.Run(NewResponse(200, nil, body), sc, true); out.Failed {
					t.Errorf("Run failed: %q", out.Problems)
					return
				}
			}
		})
	}
	wg.Wait()
}
