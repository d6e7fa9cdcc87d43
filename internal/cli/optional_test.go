package cli

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestJoinOptionalValues(t *testing.T) {
	dir := t.TempDir()
	fileLikeAddr := filepath.Join(dir, "a:1")
	if err := os.WriteFile(fileLikeAddr, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	root := newRoot(IO{})
	cases := []struct{ in, want []string }{
		{[]string{"quick", "http://h/", "--dashboard", "127.0.0.1:9000"}, []string{"quick", "http://h/", "--dashboard=127.0.0.1:9000"}},
		{[]string{"run", "--dashboard", ":9000", "load.yml"}, []string{"run", "--dashboard=:9000", "load.yml"}},
		{[]string{"run", "--dashboard", "[::1]:9000", "load.yml"}, []string{"run", "--dashboard=[::1]:9000", "load.yml"}},
		{[]string{"run", "--dashboard", "localhost:9000", "load.yml"}, []string{"run", "--dashboard=localhost:9000", "load.yml"}},
		// Not addresses: left for pflag, which gives --dashboard its default.
		{[]string{"run", "--dashboard", "load.yml"}, []string{"run", "--dashboard", "load.yml"}},
		{[]string{"quick", "--dashboard", "http://h:80/"}, []string{"quick", "--dashboard", "http://h:80/"}},
		{[]string{"quick", "http://h/", "--dashboard", "--rate", "5"}, []string{"quick", "http://h/", "--dashboard", "--rate", "5"}},
		{[]string{"run", "--dashboard", "x:99999"}, []string{"run", "--dashboard", "x:99999"}},
		{[]string{"run", "--dashboard", fileLikeAddr}, []string{"run", "--dashboard", fileLikeAddr}},
		// Only flags whose value may be left out; nothing after "--".
		{[]string{"run", "--output", "h:1", "load.yml"}, []string{"run", "--output", "h:1", "load.yml"}},
		{[]string{"run", "load.yml", "--", "--dashboard", "h:1"}, []string{"run", "load.yml", "--", "--dashboard", "h:1"}},
	}
	for _, c := range cases {
		if got := joinOptionalValues(root, c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q: got %q, want %q", c.in, got, c.want)
		}
	}
}

// "--dashboard ADDR" with a space serves the dashboard on ADDR, as
// "--dashboard=ADDR" does, where it used to fail with
// "accepts 1 arg(s), received 2".
func TestDashboardAddressAfterASpace(t *testing.T) {
	srv, n := countingServer(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	res := surge(t, context.Background(), "quick", srv.URL, "-n", "10", "--rate", "50", "--dashboard", addr, "--quiet")
	if res.code != ExitOK || n.Load() != 10 || !strings.Contains(res.stderr, "dashboard: http://"+addr) {
		t.Fatalf("exit %d, %d requests; stderr %q", res.code, n.Load(), res.stderr)
	}
}
