package flow

import (
	"strings"
	"testing"
)

// TestGetWithBodyIsNotSent: as Artillery's HTTP client does, a GET or
// HEAD with a body fails the VU before anything is sent; Surge warns at
// load.
func TestGetWithBodyIsNotSent(t *testing.T) {
	refusedBeforeSending(t, `      - get: {url: "/start"}
      - get: {url: "/search", json: {q: apples}}
      - get: {url: "/never"}
`, "t.yml:6:9: warning: GET with a body is never sent")
}

// TestNullHeaderFailsTheVU: a header written without a value (x-n:) is
// refused by Artillery's HTTP client, which fails the VU before anything
// is sent (observed: errors.ERR_GOT_REQUEST_ERROR, no request); Surge
// left the header out and sent the request. A value that renders
// undefined is still left out.
func TestNullHeaderFailsTheVU(t *testing.T) {
	refusedBeforeSending(t, `      - get: {url: "/start", headers: {x-u: "{{ nope }}"}}
      - get: {url: "/null", headers: {x-n: }}
      - get: {url: "/never"}
`, "t.yml:6:44: warning: header x-n has no value")
}

// refusedBeforeSending runs flow (steps from the script's line 5) for two
// VUs: each sends /start, then fails at the second step with
// errors.ERR_GOT_REQUEST_ERROR, and the one warning at load says warning.
func refusedBeforeSending(t *testing.T, flow, warning string) {
	t.Helper()
	var s hits
	p, res, _ := run(t, `config:
  phases: [{duration: 1, arrivalCount: 2}]
scenarios:
  - flow:
`+flow, redirector(&s))
	if got := s.list(); got != "GET /start\nGET /start" {
		t.Fatalf("requests:\n%s", got)
	}
	if res.Final.VUs.Failed != 2 || res.Final.Counters["errors.ERR_GOT_REQUEST_ERROR"] != 2 {
		t.Fatalf("vus %+v counters %v", res.Final.VUs, res.Final.Counters)
	}
	if len(p.Warnings) != 1 || !strings.Contains(p.Warnings[0].Error(), warning) {
		t.Fatalf("warnings %v", p.Warnings)
	}
}
