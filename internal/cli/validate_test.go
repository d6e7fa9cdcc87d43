package cli

import (
	"bytes"
	"context"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/surge-dev/surge/results"
)

// TestQuickRefusesBadFlagsBeforeSending: every one of these ran before
// (some for far longer than asked, some sending nothing and exiting 0,
// some with a silent default); now each is exit 2 with a message, and the
// server sees nothing.
func TestQuickRefusesBadFlagsBeforeSending(t *testing.T) {
	srv, n := countingServer(t)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--rate", "-1"}, "--rate -1: must be positive"},
		{[]string{"--rate", "NaN"}, `invalid argument "NaN" for "-r, --rate" flag: want a decimal number`},
		{[]string{"--rate", "Inf"}, `invalid argument "Inf" for "-r, --rate" flag: want a decimal number`},
		{[]string{"--rate", "0x1p3"}, `invalid argument "0x1p3" for "-r, --rate" flag: want a decimal number`},
		{[]string{"--rate", "1e-300"}, "sends no request"},
		{[]string{"--rate", "1e12"}, "above 1000000 requests a second"},
		{[]string{"--rate", "0"}, "--rate 0: must be positive (leave --rate out for the default of 50 a second)"},
		{[]string{"--duration", "0"}, "--duration 0s: must be positive"},
		{[]string{"--duration", "1000h"}, "longer than 720h0m0s"},
		{[]string{"--timeout", "0"}, "--timeout 0s: must be positive"},
		{[]string{"--users", "2", "--spawn-rate", "NaN"}, `invalid argument "NaN" for "--spawn-rate" flag: want a decimal number`},
		{[]string{"--users", "2", "--spawn-rate", "0x1p3"}, `invalid argument "0x1p3" for "--spawn-rate" flag: want a decimal number`},
		{[]string{"--users", "010"}, `invalid argument "010" for "-u, --users" flag: want a whole number in decimal`},
		{[]string{"-n", "0x10"}, `invalid argument "0x10" for "-n, --requests" flag: want a whole number in decimal`},
		{[]string{"--users", "0"}, "--users 0: expected 1 to 1000000 users"},
		{[]string{"--users", "10000000"}, "expected 1 to 1000000 users"},
		{[]string{"--spawn-rate", "2"}, "--spawn-rate needs --users"},
		{[]string{"-c", "-1"}, "--connections -1: must not be negative"},
		{[]string{"-c", "2147483647"}, "RLIMIT_NOFILE"},
		{[]string{"--body", "@" + filepath.Join(t.TempDir(), "missing")}, "no such file or directory"},
		{[]string{"--body", "@/dev/zero"}, "/dev/zero is a character device"},
		{[]string{"-H", "X-A: 1\r\nX-Injected: 2"}, `header X-A: the value holds the control character '\r'`},
		{[]string{"-H", "Bad Name: 1"}, `header name "Bad Name"`},
		{[]string{"-m", "GE T"}, `method "GE T": not an HTTP method name`},
		{[]string{"-m", ""}, "-m '': give a method"},                               // was sent as GET
		{[]string{"--body", "@"}, "--body @: no file name given"},                  // was "stat : no such file or directory"
		{[]string{"-q", "100"}, `"100" is a number where a URL was expected`},      // hey's -q: half the requests went to http://100
		{[]string{"http://127.1:9/"}, "has host 127.1: a number, but not an IPv4"}, // every request an ENOTFOUND
		{[]string{"http://127.0.0.1:9/%zz"}, "a % not followed by two hexadecimal digits"},
		{[]string{"--monitor", "ftp://x/metrics"}, `--monitor: monitor: "ftp://x/metrics" is not an http(s) URL`},
		{[]string{"--expect-status", "+200"}, `"+200": want status codes of three digits`},
		{[]string{"--expect-status", "0200"}, `"0200": want status codes of three digits`},
		{[]string{"--expect-status", "200,,201"}, `"200,,201": item 2 is empty`},
	}
	for _, c := range cases {
		args := append([]string{"quick", srv.URL, "-d", "30s"}, c.args...)
		if slices.Contains(c.args, "--duration") {
			args = append([]string{"quick", srv.URL}, c.args...) // a flag is given once
		}
		start := time.Now()
		res := surge(t, context.Background(), args...)
		if res.code != ExitUsage || !strings.Contains(res.stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q", c.args, res.code, res.stderr, c.want)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("%v: took %v to refuse", c.args, d)
		}
	}
	if got := n.Load(); got != 0 {
		t.Fatalf("the server saw %d requests", got)
	}
}

// TestUnwritableOutputFailsBeforeTheTest: the path is under a regular
// file, which no one can write (root included). Before, the 30 s test ran
// and then failed to save its results.
func TestUnwritableOutputFailsBeforeTheTest(t *testing.T) {
	srv, n := countingServer(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "x")
	os.WriteFile(file, []byte("a file"), 0o644)
	script := filepath.Join(dir, "s.yml")
	os.WriteFile(script, []byte("config:\n  phases: [{duration: 30, arrivalRate: 10}]\n"+
		"before:\n  flow: [{get: {url: /before}}]\nscenarios: [{flow: [{get: {url: /}}]}]\n"), 0o644)
	for _, args := range [][]string{
		{"quick", srv.URL, "-d", "30s", "-o", filepath.Join(file, "r.json")},
		{"quick", srv.URL, "-d", "30s", "--report", filepath.Join(file, "r.html")},
		{"run", "-t", srv.URL, "-o", filepath.Join(file, "r.json"), script},
	} {
		start := time.Now()
		res := surge(t, context.Background(), args...)
		if res.code != ExitUsage || !strings.Contains(res.stderr, file+" is not a directory") {
			t.Errorf("%v: exit %d, stderr %q", args, res.code, res.stderr)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("%v: took %v", args, d)
		}
	}
	if got := n.Load(); got != 0 {
		t.Fatalf("the server saw %d requests (the before section included)", got)
	}
}

// TestQuickBodyFromFileAndStdin: curl's convention.
func TestQuickBodyFromFileAndStdin(t *testing.T) {
	var mu sync.Mutex
	bodies := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b bytes.Buffer
		b.ReadFrom(r.Body)
		mu.Lock()
		bodies[b.String()]++
		mu.Unlock()
	}))
	defer srv.Close()
	file := filepath.Join(t.TempDir(), "body.json")
	os.WriteFile(file, []byte(`{"from":"file"}`), 0o644)
	run := func(in string, args ...string) {
		var out, errb bytes.Buffer
		args = append([]string{"quick", srv.URL, "-m", "POST", "--rate", "10", "-d", "500ms", "-q"}, args...)
		if code := MainContext(context.Background(), args, IO{Stdout: &out, Stderr: &errb, Stdin: strings.NewReader(in)}); code != ExitOK {
			t.Fatalf("%v: exit %d: %s", args, code, errb.String())
		}
	}
	run("", "--body", "@"+file)
	run(`{"from":"stdin"}`, "--body", "@-")
	mu.Lock()
	defer mu.Unlock()
	if bodies[`{"from":"file"}`] != 5 || bodies[`{"from":"stdin"}`] != 5 || len(bodies) != 2 {
		t.Fatalf("bodies seen: %v", bodies)
	}
}

// TestQuickHostHeaderAndURLCredentials: -H 'Host: name' is the Host sent
// (it was ignored), and user:pass in the URL is sent as basic
// authentication (it was not sent, but written into the results file and
// the report); the password appears in no output, nor does a token in
// the query (it is sent). Both the lean path (plain HTTP/1.1) and
// net/http (TLS) are checked.
func TestQuickHostHeaderAndURLCredentials(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]int{}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, _ := r.BasicAuth()
		mu.Lock()
		seen[r.Host+" "+user+":"+pass+" "+r.URL.Query().Get("api_key")]++
		mu.Unlock()
	})
	for _, srv := range []*httptest.Server{httptest.NewServer(h), httptest.NewTLSServer(h)} {
		defer srv.Close()
		dir := t.TempDir()
		out, report := filepath.Join(dir, "r.json"), filepath.Join(dir, "r.html")
		url := strings.Replace(srv.URL, "://", "://ann:s3cret@", 1) + "/?api_key=k3yvalue"
		res := surge(t, context.Background(), "quick", url, "-k", "--rate", "10", "-d", "500ms",
			"-H", "Host: api.example", "-o", out, "--report", report)
		if res.code != ExitOK {
			t.Fatalf("exit %d: %s", res.code, res.stderr)
		}
		r, err := results.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		page, _ := os.ReadFile(report)
		file, _ := os.ReadFile(out)
		for name, text := range map[string]string{"results": string(file), "report": string(page),
			"stdout": res.stdout, "stderr": res.stderr} {
			if strings.Contains(text, "s3cret") || strings.Contains(text, base64.StdEncoding.EncodeToString([]byte("ann:s3cret"))) {
				t.Errorf("%s: the password is in the %s", srv.URL, name)
			}
			if strings.Contains(text, "k3yvalue") {
				t.Errorf("%s: the query's token is in the %s", srv.URL, name)
			}
		}
		if !strings.Contains(r.Test.Target, "ann:xxxxx@") {
			t.Errorf("results target %q, want the user with the password hidden", r.Test.Target)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if seen["api.example ann:s3cret k3yvalue"] != 10 || len(seen) != 1 {
		t.Fatalf("server saw host and credentials %v, want api.example ann:s3cret k3yvalue on all 10 requests", seen)
	}
}

// TestScriptTargetCredentialsAreRedacted: a password in the target is
// sent as basic authentication, and the results of surge run do not
// repeat it.
func TestScriptTargetCredentialsAreRedacted(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, _ := r.BasicAuth(); u == "ann" && p == "s3cret" {
			n.Add(1)
		}
	}))
	defer srv.Close()
	dir := t.TempDir()
	script := filepath.Join(dir, "s.yml")
	os.WriteFile(script, []byte("config:\n  phases: [{duration: 1, arrivalCount: 2}]\nscenarios: [{flow: [{get: {url: /}}]}]\n"), 0o644)
	out := filepath.Join(dir, "r.json")
	target := strings.Replace(srv.URL, "://", "://ann:s3cret@", 1)
	res := surge(t, context.Background(), "run", "-t", target, "-o", out, script)
	file, _ := os.ReadFile(out)
	if res.code != ExitOK || n.Load() != 2 || strings.Contains(string(file)+res.stdout+res.stderr, "s3cret") {
		t.Fatalf("exit %d, %d requests, results %s\n%s", res.code, n.Load(), file, res.stderr)
	}
}
