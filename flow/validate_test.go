package flow

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/surge-dev/surge/scenario"
)

func compileErr(t *testing.T, dir, script string, opts Options) error {
	t.Helper()
	s, err := scenario.Parse(filepath.Join(dir, "t.yml"), []byte(script))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	_, err = Build(s, opts)
	return err
}

// TestLoadTimeChecks: each of these scripts used to load and then fail
// every VU at run time (a target of ftp://x reported "vusers failed 10"
// and no request), fail every request, or read gigabytes; now each is an
// error before any load, at the value's line and column.
func TestLoadTimeChecks(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.bin")
	if f, err := os.Create(big); err == nil {
		f.Truncate(MaxUploadBytes + 1) // sparse: no disk used
		f.Close()
	}
	const phases = "  phases: [{duration: 1, arrivalCount: 1}]\n"
	step := func(s string) string {
		return "config:\n  target: http://127.0.0.1:1\n" + phases + "scenarios:\n  - flow:\n      - " + s + "\n"
	}
	tests := []struct {
		name, script string
		opts         Options
		want         string
	}{
		{"target with another scheme", "config:\n  target: ftp://x\n" + phases + "scenarios: [{flow: [{get: {url: /}}]}]\n",
			Options{}, `t.yml:2:11: config.target: "ftp://x": expected an http:// or https:// URL`},
		{"target without host", "config:\n  target: \"http://\"\n" + phases + "scenarios: [{flow: [{get: {url: /}}]}]\n",
			Options{}, `config.target: "http://" has no host`},
		{"--target with another scheme", step("get: {url: /}"), Options{Target: "gopher://x"},
			`--target: "gopher://x": expected an http:// or https:// URL`},
		{"credentials are not repeated", "config:\n  target: \"ftp://u:secret@x\"\n" + phases + "scenarios: [{flow: [{get: {url: /}}]}]\n",
			Options{}, `"ftp://u:xxxxx@x"`},
		{"request url without host", step("get: {url: \"http:///x\"}"), Options{}, `t.yml:6:15: url "http:///x" has no host`},
		{"unclosed template", step("get: {url: \"/x/{{ id\"}"), Options{}, `t.yml:6:15: template "/x/{{ id": "{{" at character 4 is never closed`},
		{"negative think", step("think: -1"), Options{}, `t.yml:6:9: think: expected seconds`},
		{"think that is no duration", step("think: soon"), Options{}, `think: expected seconds (a number from 0 to 10^9) or a duration such as 500ms, got "soon"`},
		{"think in hexadecimal", step("think: 0x1p3"), Options{}, `think: expected seconds (a number from 0 to 10^9) or a duration such as 500ms, got "0x1p3"`},
		{"think of inf seconds", step("think: inf"), Options{}, `think: expected seconds (a number from 0 to 10^9) or a duration such as 500ms, got "inf"`},
		{"negative loop count", step("loop: [{get: {url: /}}]\n        count: -1"), Options{}, `t.yml:7:16: loop count: expected a whole number`},
		{"fractional loop count", step("loop: [{get: {url: /}}]\n        count: 2.5"), Options{}, `got 2.5`},
		{"loop count that is no number", step("loop: [{get: {url: /}}]\n        count: lots"), Options{}, `got "lots"`},
		{"missing upload", step("post: {url: /, formData: {f: {fromFile: nope.txt}}}"), Options{}, `formData f: stat ` + filepath.Join(dir, "nope.txt")},
		{"upload from a device", step("post: {url: /, formData: {f: {fromFile: /dev/zero}}}"), Options{},
			`formData f: /dev/zero is not a regular file; only regular files can be uploaded`},
		{"upload too large", step("post: {url: /, formData: {f: {fromFile: big.bin}}}"), Options{},
			`big.bin is larger than 64 MiB, the most Surge uploads from one file`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := compileErr(t, dir, tt.script, tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error:\n%v\nwant it to contain:\n%s", err, tt.want)
			}
			if strings.Contains(err.Error(), "secret") {
				t.Fatalf("the password is in the error: %v", err)
			}
		})
	}
}

// TestValidValuesStillCompile: templates and the forms Artillery documents
// are not mistaken for errors.
func TestValidValuesStillCompile(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte("hi"), 0o644)
	script := `config:
  target: https://user:pw@127.0.0.1:1/base
  phases: [{duration: 1, arrivalCount: 1}]
scenarios:
  - flow:
      - think: "{{ pause }}"
      - think: 500ms
      - loop: [{get: {url: "/x"}}]
        count: "1-5"
      - loop: [{get: {url: "{{ target }}/y"}}]
        count: "{{ n }}"
      - post: {url: "http://127.0.0.1:1/z", formData: {f: {fromFile: a.txt}, g: {fromFile: "{{ file }}"}}}
`
	if err := compileErr(t, dir, script, Options{}); err != nil {
		t.Fatal(err)
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"http://u:secret@h/p":     "http://u:xxxxx@h/p",
		"http://u@h/":             "http://u@h/",
		"http://h/":               "http://h/",
		"http://u:secret@h:bad/p": "http://u:xxxxx@h:bad/p",
		"http://u:secret@h/%zz":   "http://u:xxxxx@h/%zz",
		"not a url":               "not a url",
		"ftp://a:b:c@h":           "ftp://a:xxxxx@h",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzRedact: whatever the text, a password that url.Parse finds is not
// in what Redact returns, and CheckBaseURL never repeats it either.
func FuzzRedact(f *testing.F) {
	for _, s := range []string{"http://u:secret@h/p", "http://u:secret@h:x/", "ftp://a:b:c@h", "http://h/", "::", "http://u:p@",
		"http://h/?token=secret123&page=2", "http://h/?a&b=&=c&token=secret123#f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Redact(s)
		u, err := url.Parse(s)
		if err != nil {
			return
		}
		checkQueryHidden(t, s, u, out)
		if u.User == nil {
			return
		}
		pass, ok := u.User.Password()
		if !ok || len(pass) < 6 || strings.Contains(u.Redacted(), pass) {
			return // too short to tell from other text
		}
		if strings.Contains(out, pass) {
			t.Fatalf("Redact(%q) = %q keeps the password", s, out)
		}
		if err := CheckBaseURL(s); err != nil && strings.Contains(err.Error(), pass) {
			t.Fatalf("CheckBaseURL(%q) = %v", s, err)
		}
	})
}

// checkQueryHidden fails when a query value long enough to tell from
// other text is still in Redact's output.
func checkQueryHidden(t *testing.T, s string, u *url.URL, out string) {
	rest := strings.Replace(s, "?"+u.RawQuery, "?", 1)
	for _, p := range strings.Split(u.RawQuery, "&") {
		_, v, _ := strings.Cut(p, "=")
		if len(v) >= 6 && !strings.Contains(rest, v) && !strings.Contains("xxxxx", v) && strings.Contains(out, v) {
			t.Fatalf("Redact(%q) = %q keeps the query value %q", s, out, v)
		}
	}
}

// TestScriptHostHeaderIsTheHost: a script's host header used to go out
// as a second Host field beside the URL's, which servers refuse (Go's
// answers 400); it is the Host, as in Artillery.
func TestScriptHostHeaderIsTheHost(t *testing.T) {
	var mu sync.Mutex
	hosts := map[string]int{}
	_, res, _ := run(t, `config:
  phases: [{duration: 1, arrivalCount: 2}]
scenarios:
  - flow:
      - get: {url: /a, headers: {host: api.example}}
      - get: {url: /b, headers: {Host: "{{ h }}"}}
`, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hosts[r.Host]++
		mu.Unlock()
	})
	mu.Lock()
	defer mu.Unlock()
	if hosts["api.example"] != 2 || len(hosts) != 2 || res.Final.Total.Requests != 4 {
		t.Fatalf("hosts %v; requests %d (want api.example twice and the URL's host for the undefined template)", hosts, res.Final.Total.Requests)
	}
}
