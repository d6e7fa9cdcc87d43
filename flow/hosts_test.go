package flow

import (
	"net/http"
	"strings"
	"sync"
	"testing"
)

// TestAbsoluteURLReachesItsOwnHost: a step whose url names another host
// than the target is sent there, also after a step to the target has left
// a keep-alive connection open on the lean path. Before, it went over the
// target's connection, credentials and tokens in its query included.
func TestAbsoluteURLReachesItsOwnHost(t *testing.T) {
	var mu sync.Mutex
	var got []string
	record := func(name string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			got = append(got, name+" "+r.URL.RequestURI())
			mu.Unlock()
		}
	}
	other := newServer(t, record("other"))
	_, res, _ := run(t, `config:
  phases: [{duration: 1, arrivalCount: 1}]
scenarios:
  - flow:
      - get: {url: "/a"}
      - get: {url: "`+other+`/b?token=t"}
      - get: {url: "/c"}
      - get: {url: "`+other+`/d"}
`, record("target"))
	want := "target /a\nother /b?token=t\ntarget /c\nother /d"
	if s := strings.Join(got, "\n"); s != want || res.Final.Total.Requests != 4 {
		t.Fatalf("%d requests reached:\n%s\nwant:\n%s", res.Final.Total.Requests, s, want)
	}
}
