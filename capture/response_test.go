package capture

import (
	"math"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestResponseJSONDecodedOnce(t *testing.T) {
	r := jsonResp(`{"n":12345678901234567890,"f":1.5}`)
	first, err := r.JSON()
	if err != nil {
		t.Fatal(err)
	}
	r.Body = []byte(`{"changed":true}`)
	again, _ := r.JSON()
	want := map[string]any{"n": 12345678901234567890.0, "f": 1.5}
	if !cmp.Equal(first, want) || !cmp.Equal(again, want) {
		t.Errorf("JSON() = %v then %v, want %v both times", first, again, want)
	}
	bad := NewResponse(200, nil, []byte("{"))
	if _, err := bad.JSON(); err == nil {
		t.Error("JSON() of a broken body succeeded")
	}
}

func TestHeaderValue(t *testing.T) {
	r := NewResponse(200, http.Header{
		"Content-Type": {"application/json", "text/plain"},
		"Cookie":       {"a=1", "b=2"},
		"Vary":         {"Accept", "Origin"},
	}, nil)
	tests := []struct {
		name string
		want any
		ok   bool
	}{
		{"content-type", "application/json", true},
		{"cookie", "a=1; b=2", true},
		{"vary", "Accept, Origin", true},
		{"x-none", nil, false},
	}
	for _, tt := range tests {
		got, ok := r.HeaderValue(tt.name)
		if ok != tt.ok || !cmp.Equal(got, tt.want) {
			t.Errorf("HeaderValue(%q) = %#v, %v; want %#v, %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
	if ct, ok := r.ContentType(); !ok || ct != "application/json" {
		t.Errorf("ContentType() = %q, %v", ct, ok)
	}
}

func TestNormalizeJSONPath(t *testing.T) {
	tests := []struct{ in, want string }{
		{"$", "$"},
		{"$.user", "$.user"},
		{"user.id", "$.user.id"},
		{"[0]", "$[0]"},
		{".a", "$.a"},
		{"$.result.0.name", "$.result['0',0].name"},
		{"$..0", "$..['0',0]"},
		{"$.a.01", "$.a['01']"},
		{"$.x-id", "$['x-id']"},
		{"$..x-id", "$..['x-id']"},
		{"$.2fa", "$['2fa']"},
		{"$.a[*].b", "$.a[*].b"},
		{"$.*", "$.*"},
		{"$..book[?(@.price < 10 && @.x == ']')].title", "$..book[?(@.price < 10 && @.x == ']')].title"},
		{"$['a.b']", "$['a.b']"},
		{"$.a b", "$.a b"},
		{" $.a ", "$.a"},
		{"$.naïve", "$.naïve"},
		{"$.['a'].b", "$['a'].b"},
		{"$..['a']", "$..['a']"},
		{"$.", "$."},
	}
	for _, tt := range tests {
		if got := NormalizeJSONPath(tt.in); got != tt.want {
			t.Errorf("NormalizeJSONPath(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCompileRegexp(t *testing.T) {
	tests := []struct {
		expr, flags, subject string
		want                 bool
	}{
		{"abc", "", "xabcx", true},
		{"ABC", "i", "abc", true},
		{"^b", "", "a\nb", false},
		{"^b", "m", "a\nb", true},
		{"a.b", "", "a\nb", false},
		{"a.b", "s", "a\nb", true},
		{"b", "y", "ab", false},
		{"a", "gy", "ab", true},
		{`\u0041\u{42}`, "u", "AB", true},
		{`\/x`, "", "/x", true},
	}
	for _, tt := range tests {
		re, err := CompileRegexp(tt.expr, tt.flags)
		if err != nil {
			t.Errorf("CompileRegexp(%q, %q): %v", tt.expr, tt.flags, err)
			continue
		}
		if got := re.MatchString(tt.subject); got != tt.want {
			t.Errorf("/%s/%s on %q = %v, want %v", tt.expr, tt.flags, tt.subject, got, tt.want)
		}
	}
	for _, bad := range [][2]string{{`(a)\1`, ""}, {"a(?!b)", ""}, {"a", "x"}, {"a", "gg"}} {
		if _, err := CompileRegexp(bad[0], bad[1]); err == nil {
			t.Errorf("CompileRegexp(%q, %q) succeeded", bad[0], bad[1])
		}
	}
}

// TestJSONNumbersBeyondFloat64 decodes numbers as JSON.parse does: past
// float64's range they are infinite, not an error for the document.
func TestJSONNumbersBeyondFloat64(t *testing.T) {
	doc, err := NewResponse(200, nil, []byte(`{"big":1e400,"neg":[-1e999],"tiny":1e-400,"n":2}`)).JSON()
	if err != nil {
		t.Fatal(err)
	}
	m := doc.(map[string]any)
	if !math.IsInf(m["big"].(float64), 1) || !math.IsInf(m["neg"].([]any)[0].(float64), -1) || m["tiny"] != 0.0 || m["n"] != 2.0 {
		t.Fatalf("decoded %#v", m)
	}
	if _, err := NewResponse(200, nil, []byte(`{"big":1e400`)).JSON(); err == nil {
		t.Fatal("a cut document decoded")
	}
}
