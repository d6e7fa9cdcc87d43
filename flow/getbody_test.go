package flow

import (
	"net/http"
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

// TestTwoBodiesFailTheVU: Artillery's client refuses form beside json,
// body or formData, and json beside formData, failing the VU before
// anything is sent; Surge sent one of them. A body beside json is
// dropped by Artillery, so that step is sent (TestJSONWinsOverBody).
func TestTwoBodiesFailTheVU(t *testing.T) {
	for _, both := range []string{"form: {a: 1}, body: x", "json: {a: 1}, form: {b: 2}",
		"formData: {a: 1}, json: {b: 1}", "formData: {a: 1}, form: {b: 1}"} {
		t.Run(both, func(t *testing.T) {
			refusedBeforeSending(t, `      - get: {url: "/start"}
      - post: {url: "/both", `+both+`}
      - get: {url: "/never"}
`, "t.yml:6:9: warning: ")
		})
	}
}

// TestJSONWinsOverBody: Artillery drops a body beside json or formData.
func TestJSONWinsOverBody(t *testing.T) {
	p, res, _ := run(t, `config:
  phases: [{duration: 1, arrivalCount: 1}]
scenarios:
  - flow:
      - post: {url: "/j", json: {a: 1}, body: x}
      - post: {url: "/f", formData: {a: 1}, body: x}
`, func(http.ResponseWriter, *http.Request) {})
	if res.Final.VUs.Failed != 0 || res.Final.Total.Requests != 2 || len(p.Warnings) != 0 {
		t.Fatalf("vus %+v requests %d warnings %v", res.Final.VUs, res.Final.Total.Requests, p.Warnings)
	}
}
