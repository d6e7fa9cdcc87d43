package scenario

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestDefaultsAsArtilleryReadsThem: keys Artillery ignores in
// config.defaults only warn (think as a number, timeout, followRedirect);
// config.http.defaults wins over config.defaults key by key, wherever
// either is written; either strictCapture: false turns strict captures off.
func TestDefaultsAsArtilleryReadsThem(t *testing.T) {
	for _, order := range []string{"defaults-first", "http-first"} {
		defaults := "  defaults:\n    think: 1\n    timeout: 5\n    followRedirect: false\n    cookie: {lang: en, theme: dark}\n    headers: {x-team: core}\n    strictCapture: false\n"
		http := "  http:\n    followRedirect: false\n    defaults:\n      cookie: {lang: http}\n      think: {jitter: 10%}\n"
		config := defaults + http
		if order == "http-first" {
			config = http + defaults
		}
		s, err := Parse("d.yml", []byte("config:\n"+config+"scenarios:\n  - flow: [{get: {url: /}}]\n"))
		if err != nil {
			t.Fatalf("%s: %v", order, err)
		}
		d := s.Config.Defaults
		if !cmp.Equal(d.Cookies, []Header{{Name: "lang", Value: "http"}}) || !cmp.Equal(d.Headers, []Header{{Name: "x-team", Value: "core"}}) ||
			d.ThinkJitter != "10%" || d.StrictCapture == nil || *d.StrictCapture {
			t.Errorf("%s: defaults %+v", order, d)
		}
		all := warnings(s)
		for _, want := range []string{"config.defaults.think: 1 is ignored", "config.defaults.timeout is ignored",
			"config.defaults.followRedirect is ignored", "config.http.followRedirect is ignored by Surge (Artillery 2.0.34 ignores it too"} {
			if !strings.Contains(all, want) {
				t.Errorf("%s: warnings lack %q:\n%s", order, want, all)
			}
		}
	}
}

func warnings(s *Script) string {
	var got []string
	for _, w := range s.Warnings {
		got = append(got, w.Error())
	}
	return strings.Join(got, "\n")
}

// TestUndefinedDefaultHeaderLeftOut: config templates render at load; a
// header that renders as undefined (an unset variable, a VU variable that
// does not exist yet) is left out, as Artillery leaves it out.
func TestUndefinedDefaultHeaderLeftOut(t *testing.T) {
	env := func(k string) (string, bool) { return map[string]string{"SET": "v"}[k], k == "SET" }
	s, err := ParseWith("h.yml", []byte(`config:
  defaults:
    headers:
      x-set: "{{ $env.SET }}"
      x-unset: "{{ $env.UNSET }}"
      x-token: "{{ token }}"
      x-text: "t-{{ token }}"
scenarios:
  - flow: [{get: {url: /, headers: {x-null: ~}}}]
`), Options{Environ: env})
	if err != nil {
		t.Fatal(err)
	}
	if want := []Header{{Name: "x-set", Value: "v"}, {Name: "x-text", Value: "t-undefined"}}; !cmp.Equal(s.Config.Defaults.Headers, want) {
		t.Fatalf("headers %v, want %v", s.Config.Defaults.Headers, want)
	}
	// A literal null is not left out: Artillery's client refuses it, and
	// the step does too (flow's TestNullHeaderFailsTheVU).
	if h := s.Scenarios[0].Flow[0].Request.Headers; len(h) != 1 || !h[0].Null || h[0].Name != "x-null" {
		t.Fatalf("step headers %v", h)
	}
}
