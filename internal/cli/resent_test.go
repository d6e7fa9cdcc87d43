package cli

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/report"
	"github.com/surge-dev/surge/results"
)

// dropsSecondRequests answers each connection's first request and hangs
// up on its second after reading it, counting every request it read.
func dropsSecondRequests(t *testing.T) (*httptest.Server, *atomic.Int64) {
	var handled atomic.Int64
	var mu sync.Mutex
	seen := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		handled.Add(1)
		mu.Lock()
		seen[r.RemoteAddr]++
		second := seen[r.RemoteAddr] == 2
		mu.Unlock()
		if !second {
			io.WriteString(w, "ok")
			return
		}
		if c, _, err := w.(http.Hijacker).Hijack(); err == nil {
			c.Close()
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &handled
}

// A GET lost with its reused connection after it was written goes out
// again on a new one, as net/http sends it: the server then counts more
// requests than were made. The summary, the results, the stream and the
// report say how many more, so that the two counts agree.
func TestResentRequestsMakeTheServersCount(t *testing.T) {
	srv, handled := dropsSecondRequests(t)
	dir := t.TempDir()
	out, stream, page := filepath.Join(dir, "r.json"), filepath.Join(dir, "s.jsonl"), filepath.Join(dir, "r.html")
	res := surge(t, context.Background(), "quick", srv.URL+"/x", "-n", "40", "--users", "1",
		"-o", out, "--stream", stream, "--report", page)
	if res.code != ExitOK {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	for _, file := range []string{out, stream} {
		r, err := results.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		resent := r.Counters[metrics.ResentCounter]
		if resent == 0 || handled.Load() != r.Aggregate.Requests+resent {
			t.Errorf("%s: the server handled %d requests; %d made and %d counted as sent again",
				filepath.Base(file), handled.Load(), r.Aggregate.Requests, resent)
		}
		if file == out {
			var html strings.Builder
			if err := report.Write(&html, r, report.Options{}); err != nil {
				t.Fatal(err)
			}
			if want := "the server may count " + strconv.FormatInt(handled.Load(), 10); !strings.Contains(html.String(), want) {
				t.Errorf("the report does not say %q", want)
			}
		}
	}
	if want := "the server may count " + strconv.FormatInt(handled.Load(), 10) + " requests"; !strings.Contains(res.stdout, want) {
		t.Errorf("the summary does not say %q:\n%s", want, res.stdout)
	}
}
