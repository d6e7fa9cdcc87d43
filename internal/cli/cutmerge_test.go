package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/surge-dev/surge/results"
)

// mixedServer answers /a with 503 every third request, else 200, and /b with 404 every
// third request and a response that breaks HTTP (an EPROTO error) every
// fifth, else 200: endpoints with several codes and an error kind.
func mixedServer(t *testing.T) *httptest.Server {
	var a, b atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/a":
			if a.Add(1)%3 == 0 { // odd: both shares of two, which take turns, get some
				w.WriteHeader(http.StatusServiceUnavailable)
			}
		case "/b":
			n := b.Add(1)
			switch {
			case n%5 == 0:
				conn, buf, err := w.(http.Hijacker).Hijack()
				if err == nil {
					buf.WriteString("HTTP/1.1 abc\r\n\r\n")
					buf.Flush()
					conn.Close()
				}
			case n%3 == 0:
				w.WriteHeader(http.StatusNotFound)
			}
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// checkCodesWhole: every endpoint's responses by code plus its errors
// are its requests, and its errors by kind its errors, in every view.
func checkCodesWhole(t *testing.T, what string, r *results.Results) {
	t.Helper()
	for _, e := range append([]results.Endpoint{{Name: "all", Stats: r.Aggregate.Stats}}, r.Endpoints...) {
		var codes, kinds int64
		for _, n := range e.Codes {
			codes += n
		}
		for _, n := range e.ErrorKind {
			kinds += n
		}
		if e.Requests == 0 || codes+e.Errors != e.Requests || kinds != e.Errors {
			t.Errorf("%s: %s: %d requests, %d errors, codes %v (%d), errors by kind %v (%d)",
				what, e.Name, e.Requests, e.Errors, e.Codes, codes, e.ErrorKind, kinds)
		}
	}
}

// TestMergeOfACutShareKeepsEndpointCodesWhole: one share of a test killed
// with SIGKILL mid-run leaves a stream whose seconds carry each
// endpoint's codes and errors by kind, so that read alone, and merged
// with the other share's complete file, every endpoint's codes and
// error kinds add up to its requests. A stream without them (an earlier
// Surge's) leaves them empty for the whole endpoint, not a partial sum,
// and says so.
func TestMergeOfACutShareKeepsEndpointCodesWhole(t *testing.T) {
	dir := t.TempDir()
	cut, whole := killOneOfTwoShares(t, dir)
	checkCutStreamAndMerge(t, dir, cut, whole)
	checkMergeOfAnEarlierCutStream(t, dir, cut, whole)
}

// killOneOfTwoShares runs a script of two endpoints as two shares,
// share 0/2 streaming, and kills it 3.4 s into its run: the paths of the
// cut stream and of the whole share's results.
func killOneOfTwoShares(t *testing.T, dir string) (cut, whole string) {
	t.Helper()
	srv := mixedServer(t)
	script := filepath.Join(dir, "mixed.yml")
	yml := fmt.Sprintf("config:\n  target: %s\n  phases:\n    - duration: 6\n      arrivalRate: 40\n"+
		"scenarios:\n  - flow:\n      - get:\n          url: /a\n      - get:\n          url: /b\n", srv.URL)
	if err := os.WriteFile(script, []byte(yml), 0o600); err != nil {
		t.Fatal(err)
	}
	cut, whole = filepath.Join(dir, "s0.jsonl"), filepath.Join(dir, "s1.json")
	cmd, stderr := surgeProcess(t, "run", script, "--segment", "0/2", "--stream", cut, "--quiet")
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	other := make(chan cmdResult, 1)
	go func() {
		other <- surge(t, context.Background(), "run", script, "--segment", "1/2", "-o", whole, "--quiet")
	}()
	started := waitForHeader(t, cut, exited, stderr)
	select {
	case err := <-exited:
		t.Fatalf("surge run ended before the kill: %v\n%s", err, stderr)
	case <-time.After(time.Until(started.Add(3400 * time.Millisecond))):
	}
	cmd.Process.Kill()
	<-exited
	if res := <-other; res.code != ExitOK {
		t.Fatalf("share 1/2: exit %d: %s", res.code, res.stderr)
	}
	return cut, whole
}

// checkCutStreamAndMerge checks the cut stream alone and its merge with
// the whole share.
func checkCutStreamAndMerge(t *testing.T, dir, cut, whole string) {
	t.Helper()
	alone, err := results.ReadFile(cut)
	if err != nil {
		t.Fatal(err)
	}
	if !alone.Test.CutShort || len(alone.Endpoints) != 2 {
		t.Fatalf("the killed share's stream: cut short %v, %d endpoints", alone.Test.CutShort, len(alone.Endpoints))
	}
	checkCodesWhole(t, "the cut stream alone", alone)
	if a := alone.Endpoints[0].Codes; a["200"] == 0 || a["503"] == 0 {
		t.Errorf("GET /a of the cut stream: codes %v, want 200 and 503", a)
	}
	if b := alone.Endpoints[1]; b.Codes["404"] == 0 || b.ErrorKind["EPROTO"] == 0 {
		t.Errorf("GET /b of the cut stream: codes %v, errors by kind %v, want 404 and EPROTO", b.Codes, b.ErrorKind)
	}

	merged := filepath.Join(dir, "merged.json")
	res := surge(t, context.Background(), "merge", cut, whole, "-o", merged)
	if res.code == ExitUsage || !strings.Contains(res.stderr, "was cut short") {
		t.Fatalf("surge merge: exit %d: %s", res.code, res.stderr)
	}
	m, err := results.ReadFile(merged)
	if err != nil {
		t.Fatal(err)
	}
	checkCodesWhole(t, "the merge", m)
	full, err := results.ReadFile(whole)
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range m.Endpoints {
		if want := alone.Endpoints[i].Requests + full.Endpoints[i].Requests; e.Requests != want {
			t.Errorf("merged %s: %d requests, want %d", e.Name, e.Requests, want)
		}
	}
}

// checkMergeOfAnEarlierCutStream merges the cut stream as an earlier
// Surge wrote it, without codes per endpoint: they must be left empty,
// never summed in part.
func checkMergeOfAnEarlierCutStream(t *testing.T, dir, cut, whole string) {
	t.Helper()
	merged := filepath.Join(dir, "merged.json")
	old := filepath.Join(dir, "old.jsonl")
	writeWithoutEndpointCodes(t, cut, old)
	oldAlone, err := results.ReadFile(old)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range oldAlone.Endpoints {
		if len(e.Codes) != 0 || len(e.ErrorKind) != 0 {
			t.Errorf("%s of an earlier Surge's cut stream: codes %v, errors by kind %v, want none", e.Name, e.Codes, e.ErrorKind)
		}
	}
	res := surge(t, context.Background(), "merge", old, whole, "-o", merged)
	if res.code == ExitUsage || !strings.Contains(res.stderr, "left empty for GET /a, GET /b") {
		t.Fatalf("surge merge of an earlier Surge's cut stream: exit %d: %s", res.code, res.stderr)
	}
	m, err := results.ReadFile(merged)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range m.Endpoints {
		if len(e.Codes) != 0 || len(e.ErrorKind) != 0 {
			t.Errorf("merged %s with an earlier Surge's cut stream: codes %v, errors by kind %v: a partial sum",
				e.Name, e.Codes, e.ErrorKind)
		}
	}
	checkCodesWhole(t, "the merge's aggregate", &results.Results{Aggregate: m.Aggregate})
}

// writeWithoutEndpointCodes copies a stream, dropping the codes and
// errors by kind of its intervals' endpoints.
func writeWithoutEndpointCodes(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	sc := bufio.NewScanner(strings.NewReader(string(in)))
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		line := sc.Text()
		var l map[string]json.RawMessage
		if err := json.Unmarshal([]byte(line), &l); err == nil && l["interval"] != nil {
			var iv map[string]any
			if err := json.Unmarshal(l["interval"], &iv); err != nil {
				t.Fatal(err)
			}
			for _, e := range iv["endpoints"].([]any) {
				delete(e.(map[string]any), "codes")
				delete(e.(map[string]any), "errors_by_kind")
			}
			l["interval"], _ = json.Marshal(iv)
			b, _ := json.Marshal(l)
			line = string(b)
		}
		out.WriteString(line + "\n")
	}
	if err := os.WriteFile(to, []byte(out.String()), 0o600); err != nil {
		t.Fatal(err)
	}
}
