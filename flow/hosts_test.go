package flow

import (
	"net/http"
	"net/http/httptest"
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

// TestTokensInQueriesStayOutOfMessages: a VU that failed on a request
// whose query carries a captured token is counted with its first message,
// which goes to the results, the stream, the report and the terminal;
// the token's value must not be in it (its name is). Nor in the message
// of a URL that does not parse.
func TestTokensInQueriesStayOutOfMessages(t *testing.T) {
	srv := httptest.NewServer(nil)
	closedURL := srv.URL
	srv.Close() // nothing listens there now
	_, res, _ := run(t, `config:
  phases: [{duration: 1, arrivalCount: 2}]
  variables: {tok: "s3cr3tvalue"}
scenarios:
  - flow:
      - get: {url: "`+closedURL+`/x?page=2&token={{ tok }}"}
  - flow:
      - get: {url: "http://127.0.0.1:99999999/x?token={{ tok }}"}
`, func(http.ResponseWriter, *http.Request) {})
	if len(res.Final.Failures) == 0 {
		t.Fatal("no VU failed")
	}
	for _, f := range res.Final.Failures {
		if strings.Contains(f.First, "s3cr3tvalue") || !strings.Contains(f.First, "token=xxxxx") {
			t.Errorf("%s: first message %q, want the token's value hidden", f.Reason, f.First)
		}
	}
}
