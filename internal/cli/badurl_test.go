package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A port out of range, or a space in a query, was accepted everywhere a
// URL is given: the test ran and every request failed (EOTHER, invalid
// port), or went out with a malformed request line. Each is now a usage
// error before any load, the script's with its position.
func TestBadURLsAreRefusedBeforeLoad(t *testing.T) {
	srv, n := countingServer(t)
	dir := t.TempDir()
	script := func(name, target string) string {
		path := filepath.Join(dir, name)
		os.WriteFile(path, []byte("config:\n  target: "+target+"\n  phases:\n    - duration: 1\n      arrivalRate: 1\n"+
			"scenarios:\n  - flow:\n      - get: {url: /}\n"), 0o644)
		return path
	}
	targets := filepath.Join(dir, "targets.txt")
	os.WriteFile(targets, []byte("GET http://127.0.0.1:99999/x\n"), 0o644)
	bigPort := script("port.yml", "http://127.0.0.1:70000")
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"quick", "http://127.0.0.1:99999/", "-n", "2"}, `"http://127.0.0.1:99999/" has port 99999, outside 1-65535`},
		{[]string{"quick", srv.URL + "/?q=x y", "-n", "2"}, `has a space in its query`},
		{[]string{"quick", "--targets", targets, "-n", "2"}, `has port 99999, outside 1-65535`},
		{[]string{"quick", srv.URL, "-n", "2", "--monitor", "http://127.0.0.1:0/metrics"}, `has port 0, outside 1-65535`},
		{[]string{"run", bigPort}, bigPort + `:2:11: config.target: "http://127.0.0.1:70000" has port 70000, outside 1-65535`},
		{[]string{"run", "-t", "http://127.0.0.1:99999", script("ok.yml", srv.URL)}, `has port 99999, outside 1-65535`},
	}
	for _, c := range cases {
		res := surge(t, context.Background(), c.args...)
		if res.code != ExitUsage || !strings.Contains(res.stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q", c.args, res.code, res.stderr, c.want)
		}
	}
	if got := n.Load(); got != 0 {
		t.Fatalf("the server saw %d requests", got)
	}
}
