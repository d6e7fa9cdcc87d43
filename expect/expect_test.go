package expect

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/surge-dev/surge/capture"
	"github.com/surge-dev/surge/templating"
)

func resp(status int, ct, body string, extra ...string) *capture.Response {
	h := http.Header{}
	if ct != "" {
		h.Set("Content-Type", ct)
	}
	for i := 0; i+1 < len(extra); i += 2 {
		h.Add(extra[i], extra[i+1])
	}
	return capture.NewResponse(status, h, []byte(body))
}

var vars = &templating.MapScope{Vars: map[string]any{
	"code": 200.0, "codeText": "201", "name": "Luna", "prop": "user.id", "hdr": "x-a", "rx": "^{",
}}

func TestChecks(t *testing.T) {
	jsonOK := resp(200, "application/json; charset=utf-8", `{"ok":true,"user":{"id":7,"tags":[]},"n":null}`, "X-A", "1", "Set-Cookie", "a=1", "Set-Cookie", "b=2")
	tests := []struct {
		name string
		spec Spec
		resp *capture.Response
		want Result
	}{
		{"status ok", Spec{"statusCode", 200}, jsonOK, Result{true, "statusCode", "200", "200"}},
		{"status as text", Spec{"statusCode", "200"}, jsonOK, Result{true, "statusCode", "200", "200"}},
		{"status templated", Spec{"statusCode", "{{ code }}"}, jsonOK, Result{true, "statusCode", "200", "200"}},
		{"status list", Spec{"statusCode", []any{301, 202}}, jsonOK, Result{false, "statusCode", "301,202", "200"}},
		{"status list templated", Spec{"statusCode", []any{"{{ codeText }}", 200}}, jsonOK, Result{true, "statusCode", "201,200", "200"}},
		{"status undefined", Spec{"statusCode", "{{ nope }}"}, jsonOK, Result{false, "statusCode", "undefined", "200"}},
		{"not status", Spec{"notStatusCode", 500}, jsonOK, Result{true, "notStatusCode", "Status code different than 500", "200"}},
		{"not status fails", Spec{"notStatusCode", []any{200}}, jsonOK, Result{false, "notStatusCode", "Status code different than 200", "200"}},
		{"content type json", Spec{"contentType", "json"}, jsonOK, Result{true, "contentType", "json", "json"}},
		{"content type problem+json", Spec{"contentType", "json"}, resp(404, "application/problem+json", `{}`), Result{true, "contentType", "json", "json"}},
		{"json with broken body", Spec{"contentType", "json"}, resp(200, "application/json", `{`), Result{false, "contentType", "json", "could not parse response body as JSON"}},
		{"json with a text type", Spec{"contentType", "json"}, resp(200, "text/plain", `{}`), Result{false, "contentType", "json", "content-type is text/plain"}},
		{"json with a scalar body", Spec{"contentType", "json"}, resp(200, "application/json", `42`), Result{false, "contentType", "json", "content-type is application/json"}},
		{"json without content type", Spec{"contentType", "json"}, resp(200, "", `{}`), Result{false, "contentType", "json", "content-type is undefined"}},
		{"content type exact, any case", Spec{"contentType", "TEXT/html"}, resp(200, "text/html", "x"), Result{true, "contentType", "TEXT/html", "text/html"}},
		{"content type is the whole header", Spec{"contentType", "text/html"}, resp(200, "text/html; charset=utf-8", "x"), Result{false, "contentType", "text/html", "text/html; charset=utf-8"}},
		{"content type missing", Spec{"contentType", "text/html"}, resp(200, "", "x"), Result{false, "contentType", "text/html", "content-type header not set"}},
		{"has property", Spec{"hasProperty", "user.id"}, jsonOK, Result{true, "hasProperty", "user.id", "user.id"}},
		{"has null property", Spec{"hasProperty", "n"}, jsonOK, Result{true, "hasProperty", "n", "n"}},
		{"has property templated", Spec{"hasProperty", "{{ prop }}"}, jsonOK, Result{true, "hasProperty", "user.id", "user.id"}},
		{"has property missing", Spec{"hasProperty", "result"}, jsonOK, Result{false, "hasProperty", "result", "response body has no result property"}},
		{"has property of text", Spec{"hasProperty", "a"}, resp(200, "text/plain", `{"a":1}`), Result{false, "hasProperty", "a", "response body is not an object"}},
		{"not has property", Spec{"notHasProperty", "result"}, jsonOK, Result{true, "notHasProperty", "result", "result"}},
		{"not has property fails", Spec{"notHasProperty", "ok"}, jsonOK, Result{false, "notHasProperty", "ok", "response body has ok property"}},
		{"not has property of text", Spec{"notHasProperty", "a"}, resp(200, "text/plain", "x"), Result{false, "notHasProperty", "a", "response body is not an object"}},
		{"equals", Spec{"equals", []any{"{{ name }}", "Luna"}}, jsonOK, Result{true, "equals", "all values to be equal", "Luna, Luna"}},
		{"equals undefined", Spec{"equals", []any{"{{ nope }}", "Luna"}}, jsonOK, Result{false, "equals", "all values to be equal", "undefined, Luna"}},
		{"equals numbers as text", Spec{"equals", []any{200, "{{ code }}", "200"}}, jsonOK, Result{true, "equals", "all values to be equal", "200, 200, 200"}},
		{"equals empty list", Spec{"equals", []any{}}, jsonOK, Result{false, "equals", "all values to be equal", ""}},
		{"equals over a string's characters", Spec{"equals", "aa"}, jsonOK, Result{true, "equals", "all values to be equal", "a, a"}},
		{"has header", Spec{"hasHeader", "x-a"}, jsonOK, Result{true, "hasHeader", "x-a", "x-a"}},
		{"has header missing", Spec{"hasHeader", "x-b"}, jsonOK, Result{false, "hasHeader", "x-b", "response has no x-b header"}},
		{"header equals", Spec{"headerEquals", []any{"{{ hdr }}", 1}}, jsonOK, Result{true, "header x-a values equals", "1", "1"}},
		{"header equals list header", Spec{"headerEquals", []any{"set-cookie", "a=1,b=2"}}, jsonOK, Result{true, "header set-cookie values equals", "a=1,b=2", "a=1,b=2"}},
		{"header differs", Spec{"headerEquals", []any{"x-a", "2"}}, jsonOK, Result{false, "header x-a values equals", "2", "1"}},
		{"header equals missing", Spec{"headerEquals", []any{"x-b", "2"}}, jsonOK, Result{false, "header x-b values equals", "response to have x-b header", "response has no x-b header"}},
		{"regexp on text", Spec{"matchesRegexp", "^hel+o$"}, resp(200, "text/plain", "hello"), Result{true, "matchesRegexp", "true", "true"}},
		{"regexp on parsed JSON sees [object Object]", Spec{"matchesRegexp", "^\\[object Object\\]$"}, jsonOK, Result{true, "matchesRegexp", "true", "true"}},
		{"regexp on raw JSON text", Spec{"matchesRegexp", "{{ rx }}"}, resp(200, "text/plain", "{}"), Result{true, "matchesRegexp", "true", "true"}},
		{"regexp no match", Spec{"matchesRegexp", "xyz"}, resp(200, "text/plain", "hello"), Result{false, "matchesRegexp", "true", "false"}},
		{"regexp undefined matches all", Spec{"matchesRegexp", "{{ nope }}"}, resp(200, "", ""), Result{true, "matchesRegexp", "true", "true"}},
		{"cdn hit", Spec{"cdnHit", true}, resp(200, "", "", "X-Cache", "Hit from cloudfront"), Result{true, "cdnHit", "a cache header indicating a cache hit", "x-cache is Hit from cloudfront"}},
		{"cdn miss wanted", Spec{"cdnHit", false}, resp(200, "", "", "Cf-Cache-Status", "MISS"), Result{true, "cdnHit", "a cache header indicating a cache miss", "cf-cache-status is MISS"}},
		{"cdn header absent", Spec{"cdnHit", true}, resp(200, "", ""), Result{false, "cdnHit", "a cache header indicating a cache hit", "cache status header not found"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set, err := Compile([]Spec{tt.spec})
			if err != nil {
				t.Fatal(err)
			}
			got := set.Check(nil, tt.resp, vars)
			if diff := cmp.Diff([]Result{tt.want}, got); diff != "" {
				t.Errorf("Check (-want +got):\n%s", diff)
			}
		})
	}
}

// TestExpectPetsCorpus replays the expectations of the expect-pets corpus
// script against the recorder's {"ok":true} answers: Artillery counted 5 ok
// (statusCode 2, contentType 2, matchesRegexp 1) and 3 failed (hasProperty,
// statusCode, equals).
func TestExpectPetsCorpus(t *testing.T) {
	steps := []any{
		[]any{
			map[string]any{"contentType": "json"}, map[string]any{"statusCode": 200},
			map[string]any{"hasProperty": "result"}, map[string]any{"matchesRegexp": ".+"},
		},
		map[string]any{"statusCode": []any{301, 202}},
		map[string]any{"statusCode": 200, "contentType": "json", "equals": []any{"{{ name }}", "Luna"}},
	}
	counts := map[string]int{}
	sc := &templating.MapScope{Vars: map[string]any{}}
	for _, step := range steps {
		specs, err := ParseSpecs(step)
		if err != nil {
			t.Fatal(err)
		}
		set, err := Compile(specs)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range set.Check(nil, resp(200, "application/json", `{"ok":true}`), sc) {
			state := "failed"
			if r.OK {
				state = "ok"
			}
			counts[state]++
			counts[state+"."+r.Type]++
		}
	}
	want := map[string]int{
		"ok": 5, "ok.statusCode": 2, "ok.contentType": 2, "ok.matchesRegexp": 1,
		"failed": 3, "failed.hasProperty": 1, "failed.statusCode": 1, "failed.equals": 1,
	}
	if diff := cmp.Diff(want, counts); diff != "" {
		t.Errorf("counters (-want +got):\n%s", diff)
	}
}

func TestParseSpecsAndCompile(t *testing.T) {
	specs, err := ParseSpecs([]any{map[string]any{"statusCode": 200}, map[string]any{"jmespath": "a", "description": "d"}})
	if err != nil {
		t.Fatal(err)
	}
	want := []Spec{{"statusCode", 200}, {"description", "d"}, {"jmespath", "a"}}
	if diff := cmp.Diff(want, specs); diff != "" {
		t.Errorf("ParseSpecs (-want +got):\n%s", diff)
	}
	set, err := Compile(specs)
	if err != nil {
		t.Fatal(err)
	}
	if set.Len() != 1 || !cmp.Equal(set.Unsupported(), []string{"description", "jmespath"}) {
		t.Errorf("Len %d, Unsupported %v", set.Len(), set.Unsupported())
	}
	for _, bad := range []any{"x", []any{1}} {
		if _, err := ParseSpecs(bad); err == nil {
			t.Errorf("ParseSpecs(%#v) succeeded", bad)
		}
	}
	for _, bad := range []Spec{{"matchesRegexp", "a(?=b)"}, {"statusCode", "{{ $randomNumber(1 2) }}"}, {"equals", []any{"{{ $randomNumber(1 2) }}"}}} {
		if _, err := Compile([]Spec{bad}); err == nil || !strings.Contains(err.Error(), bad.Type) {
			t.Errorf("Compile(%v) = %v, want an error naming %s", bad, err, bad.Type)
		}
	}
}

func TestResultString(t *testing.T) {
	results := []Result{{true, "statusCode", "200", "200"}, {false, "hasProperty", "a", "response body has no a property"}}
	if got := results[0].String(); got != "ok statusCode 200" {
		t.Errorf("String() = %q", got)
	}
	if got := results[1].String(); got != "not ok hasProperty response body has no a property" {
		t.Errorf("String() = %q", got)
	}
	if !Failed(results) || Failed(results[:1]) {
		t.Error("Failed gave the wrong answer")
	}
}
