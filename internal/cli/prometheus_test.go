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

func TestPrometheusFlagsRefuseBadValues(t *testing.T) {
	for _, args := range [][]string{
		{"--prometheus-remote-write", "ftp://x/write"},
		{"--prometheus-linger", "-1s"},
		{"--prometheus-label", "run"},
		{"--prometheus-label", "__name__=x"},
	} {
		res := surge(t, context.Background(), append([]string{"quick", "http://127.0.0.1:1/", "-d", "1s"}, args...)...)
		if res.code != ExitUsage || !strings.Contains(res.stderr, args[0]) {
			t.Errorf("%v: exit %d: %s", args, res.code, res.stderr)
		}
	}
}
