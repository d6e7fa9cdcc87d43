package flow

import (
	"bytes"
	"compress/gzip"
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/scenario"
)

// TestAcceptEncoding checks what each step sends as Accept-Encoding:
// Artillery's default, nothing with gzip: false, or the script's own.
func TestAcceptEncoding(t *testing.T) {
	var mu sync.Mutex
	seen := map[string][]string{}
	run(t, `config:
  phases: [{duration: 1, arrivalCount: 1}]
scenarios:
  - flow:
      - get: {url: "/default"}
      - get: {url: "/gzip-true", gzip: true}
      - get: {url: "/gzip-false", gzip: false}
      - get: {url: "/own", headers: {Accept-Encoding: identity}}
      - get: {url: "/own-and-gzip", gzip: true, headers: {accept-encoding: br}}
`, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen[r.URL.Path] = r.Header.Values("Accept-Encoding")
		mu.Unlock()
	})
	want := map[string]string{"/default": "gzip, deflate, br, zstd", "/gzip-true": "gzip, deflate, br, zstd",
		"/gzip-false": "", "/own": "identity", "/own-and-gzip": "br"}
	for path, w := range want {
		if got := strings.Join(seen[path], "|"); got != w {
			t.Errorf("%s: Accept-Encoding %q, want %q", path, got, w)
		}
	}
}

// TestCaptureFromCompressedBody checks that captures read the decoded
// body of a compressed response.
func TestCaptureFromCompressedBody(t *testing.T) {
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write([]byte(`{"id": "abc"}`))
	w.Close()
	var mu sync.Mutex
	var got string
	_, res, _ := run(t, `config:
  phases: [{duration: 1, arrivalCount: 1}]
scenarios:
  - flow:
      - get: {url: "/item", capture: {json: "$.id", as: id}}
      - get: {url: "/use/{{ id }}"}
`, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/item" {
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(gz.Bytes())
			return
		}
		mu.Lock()
		got = r.URL.Path
		mu.Unlock()
	})
	if got != "/use/abc" || res.Final.VUs.Failed != 0 {
		t.Fatalf("second request %q, VUs %+v", got, res.Final.VUs)
	}
}

// TestCaptureOnCutBody checks that a capture from a body longer than the
// engine keeps fails and says why, rather than parsing half a document.
func TestCaptureOnCutBody(t *testing.T) {
	srv, _ := recorder(t)
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"id": "abc", "pad": "` + strings.Repeat("x", 4096) + `"}`))
	})
	s, err := scenario.Parse("t.yml", []byte(`config:
  phases: [{duration: 1, arrivalCount: 1}]
scenarios:
  - flow:
      - get: {url: "/big", capture: {json: "$.id", as: id}}
`))
	if err != nil {
		t.Fatal(err)
	}
	test, err := Compile(s, Options{Target: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	test.MaxBody = 1024
	res, err := engine.Run(context.Background(), *test)
	if err != nil {
		t.Fatal(err)
	}
	f := res.Final.Failures
	if res.Final.VUs.Failed != 1 || len(f) != 1 || !strings.Contains(f[0].First, "over 1024 bytes was cut") {
		t.Fatalf("VUs %+v, failures %+v; want one failed for a cut body", res.Final.VUs, f)
	}
}
