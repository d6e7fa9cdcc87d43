package flow

import (
	"fmt"
	"net/url"
	"testing"

	"github.com/surge-dev/surge/templating"
)

// wholeURL parses raw the one way there was: the target and the path
// joined, parsed whole.
func wholeURL(target, raw string) (string, error) {
	return (urlParser{target: target}).parseString(raw)
}

// parseString is parse, its URL written out field by field.
func (p urlParser) parseString(raw string) (string, error) {
	u, err := p.parse(raw)
	if err != nil {
		return "", err
	}
	return fmtURL(u), nil
}

// fmtURL writes every field of u, the user's too.
func fmtURL(u *url.URL) string {
	c := *u
	user := c.User.String()
	c.User = nil
	return fmt.Sprintf("%#v|%s", c, user)
}

var urlTargets = []string{"http://127.0.0.1:8080", "https://Example.COM", "http://h:1/base", "http://h/", "http://u:p@h",
	"http://h?x=1", "http://h#f", "http://[::1]:80", "http://h:bad", "htTp://h", "HTTP://h", ""}

var urlPaths = []string{"/", "/a", "/a/b?c=d&e", "/a?", "/a?b?c", "/a#frag", "/a b", "/%41%2Fb", "/%zz", "//h2/x", "///x",
	"/a:b", "/é?q=ü", "/a\x7f", "/a\x01", "/?", "/#", "http://other:9/x?y#z", "https://o/p", "mailto:x", "", "/a/../b",
	"/a%2Fb c", "/z/./../w", "/a\\b", "/%2e%2E/x", "/a/."}

// TestURLParserAgreesWithParsingWhole holds the path parsed apart, and a
// static URL parsed once, to what parsing target+path whole gives.
func TestURLParserAgreesWithParsingWhole(t *testing.T) {
	for _, target := range urlTargets {
		for _, raw := range urlPaths {
			want, wantErr := wholeURL(target, raw)
			tmpl, err := templating.Compile(raw)
			if err != nil {
				t.Fatal(err)
			}
			p := newURLParser(target, tmpl)
			got, gotErr := p.parseString(raw)
			if got != want || (gotErr == nil) != (wantErr == nil) || gotErr != nil && gotErr.Error() != wantErr.Error() {
				t.Errorf("%q + %q: got %q, %v; want %q, %v", target, raw, got, gotErr, want, wantErr)
			}
			if (p.fixed != nil) != (wantErr == nil) || p.fixed != nil && fmtURL(p.fixed) != want {
				t.Errorf("%q + %q: fixed %v, want %q", target, raw, p.fixed, want)
			}
		}
	}
}

// TestURLParserTakesThePathApart: the targets the fast path is for.
func TestURLParserTakesThePathApart(t *testing.T) {
	for target, apart := range map[string]bool{"http://127.0.0.1:8080": true, "https://h": true,
		"http://h/": false, "http://h/base": false, "http://u@h": false, "http://h?": false, "": false} {
		if got := newURLParser(target, templating.MustCompile("/")).base != nil; got != apart {
			t.Errorf("%q: apart %v, want %v", target, got, apart)
		}
	}
}

func FuzzURLParser(f *testing.F) {
	for _, raw := range urlPaths {
		f.Add("http://127.0.0.1:8080", raw)
	}
	f.Fuzz(func(t *testing.T, target, raw string) {
		want, wantErr := wholeURL(target, raw)
		got, gotErr := newURLParser(target, templating.MustCompile("{{ x }}")).parseString(raw)
		if got != want || (gotErr == nil) != (wantErr == nil) {
			t.Fatalf("%q + %q: got %q, %v; want %q, %v", target, raw, got, gotErr, want, wantErr)
		}
	})
}

// TestURLParserTrimsAsWHATWG: the edges' spaces and controls, and tabs
// and newlines anywhere, are not part of the URL.
func TestURLParserTrimsAsWHATWG(t *testing.T) {
	p := newURLParser("http://127.0.0.1:8080", templating.MustCompile("{{ u }}"))
	for raw, want := range map[string]string{"/p/bob ": "/p/bob", " \t/p/a\nb\r\n": "/p/ab", "/p/a b": "/p/a%20b",
		"\x00/x\x1f": "/x", "http://h/q?x=1 ": "/q?x=1"} {
		u, err := p.parse(raw)
		if err != nil || u.RequestURI() != want {
			t.Errorf("%q: got %v, %v; want %s", raw, u, err, want)
		}
	}
}

// TestPathAsWHATWG: a path is sent as Node's URL parser makes it, so as
// Artillery sends it: written escapes kept (net/url re-escaped the whole
// path once anything in it needed escaping, turning %2F into a slash),
// dot segments resolved, a backslash a slash.
func TestPathAsWHATWG(t *testing.T) {
	for _, tc := range []struct{ target, raw, want string }{
		{"http://127.0.0.1:8080", "/enc/%2F%20é", "/enc/%2F%20%C3%A9"},
		{"http://127.0.0.1:8080", "/a%2Fb c?q=1", "/a%2Fb%20c?q=1"},
		{"http://127.0.0.1:8080", "/z/../w/./v?q=../x", "/w/v?q=../x"},
		{"http://127.0.0.1:8080", "/a/%2E%2e/b", "/b"},
		{"http://127.0.0.1:8080", "/a/b/..", "/a/"},
		{"http://127.0.0.1:8080", "/a/.", "/a/"},
		{"http://127.0.0.1:8080", `/a\b`, "/a/b"},
		{"http://127.0.0.1:8080", "/%41 x", "/%41%20x"},
		{"http://127.0.0.1:8080", "/plain%2F", "/plain%2F"},
		{"http://127.0.0.1:8080", "/x|y", "/x%7Cy"},
		{"http://h:1/api/", "/z/../w/./v", "/api//w/v"},
		{"http://h:1/api/", "/enc/%2F é", "/api//enc/%2F%20%C3%A9"},
		{"http://h:1/api", "/../x", "/x"},
		{"http://h:1", "http://o:2/p/%2F ü/./q?a", "/p/%2F%20%C3%BC/q?a"},
	} {
		u, err := newURLParser(tc.target, templating.MustCompile("{{ u }}")).parse(tc.raw)
		if err != nil || u.RequestURI() != tc.want {
			t.Errorf("%s + %q: got %v, %v; want %s", tc.target, tc.raw, u, err, tc.want)
		}
	}
}
