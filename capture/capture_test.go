package capture

import (
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/surge-dev/surge/templating"
)

func boolp(b bool) *bool { return &b }

func scope() *templating.MapScope {
	return &templating.MapScope{
		Vars: map[string]any{"field": "token", "word": "value"},
		Rnd:  rand.New(rand.NewPCG(1, 2)),
	}
}

func jsonResp(body string) *Response {
	return NewResponse(200, http.Header{"Content-Type": {"application/json"}}, []byte(body))
}

func TestExtract(t *testing.T) {
	login := `{"token":"abc","user":{"id":42,"name":"Luna"},"x-id":"dash","empty":"","nothing":null,"zero":0,` +
		`"result":[{"name":"Luna"}],"byKey":{"0":{"name":"k"}}}`
	html := `<input name="csrf" value="t0k3n"/> ID: abc-123 and ABC-999`
	tests := []struct {
		name   string
		spec   Spec
		body   string
		want   any
		wantOK bool
	}{
		{"json string", Spec{JSON: "$.token", As: "t"}, login, "abc", true},
		{"json keeps number type", Spec{JSON: "$.user.id", As: "t"}, login, 42.0, true},
		{"json object", Spec{JSON: "$.user", As: "t"}, login, map[string]any{"id": 42.0, "name": "Luna"}, true},
		{"json dotted index", Spec{JSON: "$.result.0.name", As: "t"}, login, "Luna", true},
		{"json dotted key that looks like an index", Spec{JSON: "$.byKey.0.name", As: "t"}, login, "k", true},
		{"json without $", Spec{JSON: "user.name", As: "t"}, login, "Luna", true},
		{"json dashed name", Spec{JSON: "$.x-id", As: "t"}, login, "dash", true},
		{"json filter", Spec{JSON: "$.result[?(@.name == 'Luna')].name", As: "t"}, login, "Luna", true},
		{"json templated path", Spec{JSON: "$.{{ field }}", As: "t"}, login, "abc", true},
		{"json null is captured", Spec{JSON: "$.nothing", As: "t"}, login, nil, true},
		{"json zero is captured", Spec{JSON: "$.zero", As: "t"}, login, 0.0, true},
		{"json empty string fails", Spec{JSON: "$.empty", As: "t"}, login, "", false},
		{"json no match fails", Spec{JSON: "$.user.missing", As: "t"}, `{"ok":true}`, templating.Undefined, false},
		{"json scalar body fails", Spec{JSON: "$.a", As: "t"}, `42`, "", false},
		{"json unknown fn in path fails", Spec{JSON: "$.{{ $nope() }}", As: "t"}, login, "", false},
		{"json bad templated path fails", Spec{JSON: "$.{{ word }}[", As: "t"}, login, "", false},
		{"multiple false, one value", Spec{JSON: "$.token", As: "t", Multiple: boolp(false)}, login, "abc", true},
		{"multiple false, falsy value", Spec{JSON: "$.zero", As: "t", Multiple: boolp(false)}, login, "", false},
		{"multiple false, list", Spec{JSON: "$.result[*].name", As: "t", Multiple: boolp(false)}, `{"result":[{"name":"a"},{"name":"b"}]}`, []any{"a", "b"}, true},
		{"multiple false, none", Spec{JSON: "$.nope", As: "t", Multiple: boolp(false)}, login, "", false},
		{"regexp whole match", Spec{Regexp: "[a-z]+-[0-9]+", As: "t"}, html, "abc-123", true},
		{"regexp group", Spec{Regexp: `value="([^"]+)"`, As: "t", Group: 1}, html, "t0k3n", true},
		{"regexp group as text", Spec{Regexp: `value="([^"]+)"`, As: "t", Group: "1"}, html, "t0k3n", true},
		{"regexp group zero is the match", Spec{Regexp: `value="([^"]+)"`, As: "t", Group: 0}, html, `value="t0k3n"`, true},
		{"regexp named group", Spec{Regexp: `ID: (?<id>\S+)`, As: "t", Group: "id"}, html, "abc-123", true},
		{"regexp number with named groups fails", Spec{Regexp: `ID: (?<id>\S+)`, As: "t", Group: 1}, html, templating.Undefined, false},
		{"regexp unknown name falls back to match", Spec{Regexp: `ID: (\S+)`, As: "t", Group: "id"}, html, "ID: abc-123", true},
		{"regexp empty group falls back to match", Spec{Regexp: `ID: (x?)`, As: "t", Group: 1}, html, "ID: ", true},
		{"regexp flags", Spec{Regexp: "abc-999", Flags: "i", As: "t"}, html, "ABC-999", true},
		{"regexp sticky", Spec{Regexp: "ID", Flags: "y", As: "t"}, html, "", false},
		{"regexp unicode escape", Spec{Regexp: `\u0041BC`, As: "t"}, html, "ABC", true},
		{"regexp templated", Spec{Regexp: `{{ field }}`, As: "t"}, "a token here", "token", true},
		{"regexp no match", Spec{Regexp: "zzz", As: "t"}, html, "", false},
		{"regexp on JSON text", Spec{Regexp: `"id":(\d+)`, Group: 1, As: "t"}, login, "42", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Compile(tt.spec)
			if err != nil {
				t.Fatal(err)
			}
			name, got, ok, err := c.Extract(jsonResp(tt.body), scope())
			if err != nil || name != "t" || ok != tt.wantOK {
				t.Errorf("Extract: name %q ok %v err %v; want t, %v, nil", name, ok, err, tt.wantOK)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("value (-want +got):\n%s", diff)
			}
		})
	}
}

func TestExtractJSONBodyError(t *testing.T) {
	c := mustCompile(t, Spec{JSON: "$.a", As: "t"})
	_, v, ok, err := c.Extract(NewResponse(200, nil, []byte("<html>")), nil)
	if ok || err == nil || v != templating.Undefined {
		t.Errorf("Extract on HTML = %v, %v, %v; want Undefined, false, an error", v, ok, err)
	}
}

func TestExtractJSONPicksAtRandom(t *testing.T) {
	c := mustCompile(t, Spec{JSON: "$.items[*].id", As: "id"})
	resp := jsonResp(`{"items":[{"id":1},{"id":2},{"id":3}]}`)
	sc := scope()
	seen := map[any]int{}
	for range 200 {
		_, v, _, _ := c.Extract(resp, sc)
		seen[v]++
	}
	if len(seen) != 3 {
		t.Errorf("200 extractions saw %v, want each of the 3 matches", seen)
	}
}

func TestExtractHeader(t *testing.T) {
	resp := NewResponse(200, http.Header{
		"X-Session":  {"sess-1"},
		"Set-Cookie": {"a=1", "b=2"},
		"X-Multi":    {"p", "q"},
		"X-Empty":    {""},
		"lower-raw":  {"raw"},
	}, nil)
	tests := []struct {
		header string
		want   any
		ok     bool
	}{
		{"x-session", "sess-1", true},
		{"X-Session", "sess-1", true},
		{"set-cookie", []any{"a=1", "b=2"}, true},
		{"x-multi", "p, q", true},
		{"x-empty", "", false},
		{"lower-raw", "raw", true},
		{"x-missing", "", false},
	}
	for _, tt := range tests {
		c := mustCompile(t, Spec{Header: tt.header, As: "h"})
		_, got, ok, err := c.Extract(resp, nil)
		if err != nil || ok != tt.ok || !cmp.Equal(got, tt.want) {
			t.Errorf("header %q = %#v, %v, %v; want %#v, %v", tt.header, got, ok, err, tt.want, tt.ok)
		}
	}
}

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		spec Spec
		msg  string
	}{
		{Spec{JSON: "$.a", As: "x", Transform: "fn"}, "transform"},
		{Spec{As: "x"}, "one of json, xpath, regexp, header or selector"},
		{Spec{JSON: "$.a"}, "needs as"},
		{Spec{JSON: "$.a[", As: "x"}, "RFC 9535"},
		{Spec{Regexp: "a(?=b)", As: "x"}, "RE2"},
		{Spec{Regexp: "a", Flags: "q", As: "x"}, "flag"},
		{Spec{Regexp: "{{ v }}", Flags: "ii", As: "x"}, "flag"},
		{Spec{JSON: "{{ $randomNumber(1 2) }}", As: "x"}, "invalid argument"},
	}
	for _, tt := range tests {
		_, err := Compile(tt.spec)
		if err == nil || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("Compile(%+v) = %v, want an error containing %q", tt.spec, err, tt.msg)
		}
	}
}

func TestStrict(t *testing.T) {
	tests := []struct {
		spec          *bool
		defaultStrict bool
		want          bool
	}{
		{nil, true, true},
		{nil, false, false},
		{boolp(false), true, false},
		{boolp(true), false, true},
		{boolp(false), false, false},
	}
	for _, tt := range tests {
		c := mustCompile(t, Spec{JSON: "$.a", As: "a", Strict: tt.spec})
		if got := c.Strict(tt.defaultStrict); got != tt.want {
			t.Errorf("Strict(spec %v, default %v) = %v, want %v", tt.spec, tt.defaultStrict, got, tt.want)
		}
	}
}

func mustCompile(t *testing.T, s Spec) *Capture {
	t.Helper()
	c, err := Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
