package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

func TestWithSchemeTakesHostsAsHTTP(t *testing.T) {
	for in, want := range map[string]string{
		"localhost:8080":         "http://localhost:8080",
		"localhost:8080/x?a=1":   "http://localhost:8080/x?a=1",
		"127.0.0.1:9000":         "http://127.0.0.1:9000",
		"[::1]:9000/api":         "http://[::1]:9000/api",
		"example.com":            "http://example.com",
		"user:pw@example.com/x":  "http://user:pw@example.com/x",
		"https://example.com/":   "https://example.com/",
		"http://127.0.0.1:8080/": "http://127.0.0.1:8080/",
		"":                       "",
	} {
		if got := withScheme(in); got != want {
			t.Errorf("withScheme(%q) = %q, want %q", in, got, want)
		}
	}
}

// Every flag that takes a URL, in every command, takes one without a
// scheme as http://.
func TestEveryURLFlagTakesAHostWithoutAScheme(t *testing.T) {
	urlFlags := map[string]bool{"target": true, "monitor": true, "prometheus-remote-write": true}
	seen := 0
	eachFlag(newRoot(IO{}), func(cmd *cobra.Command, f *pflag.Flag) {
		if !urlFlags[f.Name] {
			return
		}
		seen++
		if f.Value.Type() != "url" {
			t.Errorf("%s --%s is a %s, not a url", cmd.CommandPath(), f.Name, f.Value.Type())
			return
		}
		if err := f.Value.Set("localhost:8080/x"); err != nil || f.Value.String() != "http://localhost:8080/x" {
			t.Errorf("%s --%s localhost:8080/x: %v, %q", cmd.CommandPath(), f.Name, err, f.Value.String())
		}
	})
	if seen < 8 {
		t.Errorf("only %d URL flags found", seen)
	}
}

// A duration where a URL is due is refused, not taken as a host: -t 5m
// is Locust's run time (--duration here), never the host "5m".
func TestURLFlagsRefuseDurations(t *testing.T) {
	for _, name := range []string{"target", "monitor"} {
		for _, d := range []string{"5m", "30s", "1h30m"} {
			var got string
			err := urlValue{&got, name}.Set(d)
			if err == nil || !strings.Contains(err.Error(), "is a duration, not a URL") ||
				(name == "target") != strings.Contains(fmt.Sprint(err), "--duration") {
				t.Errorf("--%s %s: %v, want a duration refused", name, d, err)
			}
		}
	}
	res := surge(t, t.Context(), "run", "-t", "5m", "load.yml")
	if res.code != ExitUsage || !strings.Contains(res.stderr, "--duration") {
		t.Fatalf("run -t 5m: exit %d\n%s", res.code, res.stderr)
	}
}

// surge quick HOST:PORT/path and surge run -t HOST:PORT send to the host
// over http, and the results name the URL with its scheme.
func TestQuickAndRunTakeURLsWithoutAScheme(t *testing.T) {
	srv, n := countingServer(t)
	host := strings.TrimPrefix(srv.URL, "http://")
	res := surge(t, t.Context(), "quick", host+"/x", "-n", "5", "--users", "1", "-q")
	if res.code != ExitOK || n.Load() != 5 {
		t.Fatalf("quick %s: exit %d, server counted %d of 5\n%s", host, res.code, n.Load(), res.stderr)
	}
	script := filepath.Join(t.TempDir(), "s.yml")
	os.WriteFile(script, []byte("config:\n  phases: [{duration: 1, arrivalCount: 3}]\nscenarios: [{flow: [{get: {url: /y}}]}]\n"), 0o644)
	res = surge(t, t.Context(), "run", "-t", host, "-q", script)
	if res.code != ExitOK || n.Load() != 8 {
		t.Fatalf("run -t %s: exit %d, server counted %d of 8\n%s", host, res.code, n.Load(), res.stderr)
	}
}

func TestCapacityTellsURLsFromScripts(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "localhost")
	os.WriteFile(existing, []byte("scenarios: []\n"), 0o644)
	for arg, want := range map[string]string{
		"localhost:8080/api":         "http://localhost:8080/api",
		"127.0.0.1:9000":             "http://127.0.0.1:9000",
		"https://example.com/x":      "https://example.com/x",
		"load.yml":                   "", // a script, even when missing: its error names it
		filepath.Join(dir, "a.json"): "",
		existing:                     "", // a file wins over a host name
	} {
		got, ok := capacityURL(arg)
		if got != want || ok != (want != "") {
			t.Errorf("capacityURL(%q) = %q, %v; want %q", arg, got, ok, want)
		}
	}
}
