package flow

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/scenario"
)

// TestHeaderEqualsCountedUnderItsHeader: Artillery counts headerEquals
// as "header <name> values equals", passing and failing.
func TestHeaderEqualsCountedUnderItsHeader(t *testing.T) {
	_, res, _ := run(t, `config:
  phases: [{duration: 1, arrivalCount: 1}]
  plugins: {expect: {}}
scenarios:
  - flow:
      - get:
          url: "/"
          expect:
            - headerEquals: [x-mode, fast]
            - headerEquals: [x-mode, slow]
            - statusCode: 200
`, func(w http.ResponseWriter, r *http.Request) { w.Header().Set("X-Mode", "fast") })
	c := res.Final.Counters
	if c["plugins.expect.ok.header x-mode values equals"] != 1 || c["plugins.expect.failed.header x-mode values equals"] != 1 ||
		c["plugins.expect.ok.statusCode"] != 1 || c["plugins.expect.ok"] != 2 || c["plugins.expect.failed"] != 1 {
		t.Fatalf("counters %v", c)
	}
	if _, ok := c["plugins.expect.ok.headerEquals"]; ok {
		t.Fatalf("a headerEquals counter Artillery never reports: %v", c)
	}
}

// TestExpectFailureAsErrorNamesTheURL: with reportFailuresAsErrors,
// Artillery counts the failure under the URL the request went to (the
// target in front of a path, the query as written), or its name with
// useOnlyRequestNames; Surge counted the path alone.
func TestExpectFailureAsErrorNamesTheURL(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer srv.Close()
	for _, tc := range []struct{ only, want string }{
		{"false", srv.URL + "/a?x=1"},
		{"true", "page"},
	} {
		s, err := scenario.Parse("t.yml", []byte(`config:
  phases: [{duration: 1, arrivalCount: 1}]
  plugins: {expect: {reportFailuresAsErrors: true, useOnlyRequestNames: `+tc.only+`}}
scenarios:
  - flow:
      - get: {url: "/a?x=1", name: page, expect: [{statusCode: 201}]}
`))
		if err != nil {
			t.Fatal(err)
		}
		p, err := Build(s, Options{Target: srv.URL, Log: io.Discard, Report: io.Discard})
		if err != nil {
			t.Fatal(err)
		}
		res, err := engine.Run(context.Background(), *p.Test)
		if err != nil {
			t.Fatal(err)
		}
		if n := res.Final.Counters["errors.Failed expectations for request "+tc.want]; n != 1 {
			t.Errorf("useOnlyRequestNames %s: counters %v, want the error named %q", tc.only, res.Final.Counters, tc.want)
		}
	}
}
