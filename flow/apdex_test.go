package flow

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestApdex: the last response of each request is counted by how long it
// took against the threshold (config.apdex.threshold, in ms).
func TestApdex(t *testing.T) {
	_, res, _ := run(t, `config:
  phases: [{duration: 1, arrivalCount: 1}]
  apdex: {threshold: 200}
  plugins: {apdex: {}}
scenarios:
  - flow:
      - get: {url: "/fast"}
      - get: {url: "/ms/450"}
      - get: {url: "/ms/1200"}
`, func(w http.ResponseWriter, r *http.Request) {
		if ms, ok := strings.CutPrefix(r.URL.Path, "/ms/"); ok {
			d, _ := time.ParseDuration(ms + "ms")
			time.Sleep(d)
		}
		io.WriteString(w, "ok")
	})
	c := res.Final.Counters
	if c["apdex.satisfied"] != 1 || c["apdex.tolerated"] != 1 || c["apdex.frustrated"] != 1 {
		t.Fatalf("counters %v", c)
	}
}
