package cli

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/surge-dev/surge/internal/hangup"
	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/report"
	"github.com/surge-dev/surge/results"
)

// A GET lost with its reused connection after it was written goes out
// again on a new one, as net/http sends it: the server then counts more
// requests than were made. The summary, the results, the stream and the
// report say how many more, so that the two counts agree.
func TestResentRequestsMakeTheServersCount(t *testing.T) {
	var handled atomic.Int64
	srv := httptest.NewServer(hangup.OnSecond(&handled))
	t.Cleanup(srv.Close)
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
