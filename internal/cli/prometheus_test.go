package cli

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestPrometheusFlagServesTheFinalValues: --prometheus serves the test's
// metrics while it runs and, with --prometheus-linger, until a scrape has
// read the final ones.
func TestPrometheusFlagServesTheFinalValues(t *testing.T) {
	srv, _ := countingServer(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	done := make(chan cmdResult, 1)
	go func() {
		done <- surge(t, context.Background(), "quick", srv.URL, "--rate", "20", "--duration", "2s", "-q",
			"--prometheus="+addr, "--prometheus-linger", "30s")
	}()
	var last string
	for {
		select {
		case res := <-done:
			if res.code != ExitOK {
				t.Fatalf("exit %d: %s", res.code, res.stderr)
			}
			if !strings.Contains(last, `surge_requests_total{endpoint="GET /"} 40`) {
				t.Fatalf("the last scrape did not hold the final count:\n%s", last)
			}
			if !strings.Contains(res.stderr, "prometheus: metrics at http://"+addr+"/metrics") {
				t.Fatalf("the address is not said:\n%s", res.stderr)
			}
			return
		case <-time.After(100 * time.Millisecond):
		}
		if resp, err := http.Get("http://" + addr + "/metrics"); err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			last = string(b)
		}
	}
}

// TestPrometheusFlagsRefuseBadValues: bad values, labels Surge's series
// carry already (a receiver would reject every push), and flags that
// would be silently ignored are usage errors before any load.
func TestPrometheusFlagsRefuseBadValues(t *testing.T) {
	srv, n := countingServer(t)
	rw := []string{"--prometheus-remote-write", "http://127.0.0.1:1/api/v1/write"}
	for _, args := range [][]string{
		{"--prometheus-remote-write", "ftp://x/write"},
		{"--prometheus-linger", "-1s"},
		append([]string{"--prometheus-label", "run"}, rw...),
		append([]string{"--prometheus-label", "__name__=x"}, rw...),
		append([]string{"--prometheus-label", "le=5"}, rw...),
		append([]string{"--prometheus-label", "endpoint=x"}, rw...),
		append([]string{"--prometheus-label", "code="}, rw...),
		append([]string{"--prometheus-label", "kind=x"}, rw...),
		{"--prometheus-label", "run=r1", "--prometheus"},
		append([]string{"--prometheus-label", "run=r1", "--prometheus-label", "run=r2"}, rw...),
		{"--prometheus-linger", "5s", "--prometheus-remote-write", "http://127.0.0.1:1/api/v1/write"},
	} {
		res := surge(t, context.Background(), append([]string{"quick", srv.URL, "-d", "1s"}, args...)...)
		if res.code != ExitUsage || !strings.Contains(res.stderr, args[0]) {
			t.Errorf("%v: exit %d: %s", args, res.code, res.stderr)
		}
	}
	if n.Load() != 0 {
		t.Fatalf("%d requests sent", n.Load())
	}
}

// TestParseLabelsRefusesInvalidUTF8: remote write's label values are
// UTF-8 (a receiver such as Prometheus rejects a series whose value is
// not, so every push would fail); --prometheus-label took any bytes.
func TestParseLabelsRefusesInvalidUTF8(t *testing.T) {
	for _, l := range []string{"run=\xff", "env=a\xc3"} {
		if _, err := parseLabels([]string{l}); err == nil || !strings.Contains(err.Error(), "UTF-8") {
			t.Errorf("%q: %v, want an error about UTF-8", l, err)
		}
	}
	if got, err := parseLabels([]string{"run=é", "env="}); err != nil || got["run"] != "é" || got["env"] != "" {
		t.Errorf("valid labels: %v, %v", got, err)
	}
}

// TestParseLabelsRefusesANameTwice: the later value won without a word.
func TestParseLabelsRefusesANameTwice(t *testing.T) {
	for _, list := range [][]string{{"run=r1", "run=r2"}, {"run=r1", "env=ci", "run=r1"}, {"env=", "env=x"}} {
		_, err := parseLabels(list)
		name, _, _ := strings.Cut(list[0], "=")
		if err == nil || !strings.Contains(err.Error(), "the label "+name+" is given twice (first as \""+list[0]+"\")") {
			t.Errorf("%q: %v, want an error naming %s twice", list, err, name)
		}
	}
}
