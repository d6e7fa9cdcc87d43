package flow

import (
	"net/http"
	"testing"
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
