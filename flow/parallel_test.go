package flow

import (
	"testing"

	"github.com/surge-dev/surge/scenario"
)

// TestParallelRendersFirstThenSendsInOrder: the steps of a parallel
// block are rendered before any is sent (a capture inside is not seen by
// its siblings, as in Artillery), sent as Artillery's client sends them
// (requests without a body first, in step order, then those with one),
// and a capture inside is seen after the block.
func TestParallelRendersFirstThenSendsInOrder(t *testing.T) {
	var s hits
	run(t, `config:
  phases: [{duration: 1, arrivalCount: 1}]
scenarios:
  - flow:
      - parallel:
          - get: {url: "/one", capture: {json: "$.at", as: at}}
          - post: {url: "/two{{ at }}", body: "b"}
          - think: 0
          - get: {url: "/three"}
      - get: {url: "/after{{ at }}"}
`, redirector(&s))
	if got, want := s.list(), "GET /one\nGET /three\nPOST /twoundefined b\nGET /after/one"; got != want {
		t.Fatalf("requests:\n%s\nwant:\n%s", got, want)
	}
}

// TestParallelFailureAfterTheOthers: a failed capture fails the VU, but
// only once the other steps of the block were sent.
func TestParallelFailureAfterTheOthers(t *testing.T) {
	var s hits
	_, res, _ := run(t, `config:
  phases: [{duration: 1, arrivalCount: 1}]
scenarios:
  - flow:
      - parallel:
          - get: {url: "/one", capture: {json: "$.missing", as: m}}
          - get: {url: "/two"}
      - get: {url: "/never"}
`, redirector(&s))
	if got := s.list(); got != "GET /one\nGET /two" {
		t.Fatalf("requests:\n%s", got)
	}
	if res.Final.VUs.Failed != 1 {
		t.Fatalf("vus %+v", res.Final.VUs)
	}
}

func parse(t *testing.T, script string) *scenario.Script {
	t.Helper()
	s, err := scenario.Parse("t.yml", []byte(script))
	if err != nil {
		t.Fatal(err)
	}
	return s
}
