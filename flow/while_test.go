package flow

import (
	"strings"
	"testing"
)

// TestWhileTrue: the body runs, then the expression decides; count does
// not end the loop, as in Artillery.
func TestWhileTrue(t *testing.T) {
	var s hits
	run(t, `config:
  phases: [{duration: 1, arrivalCount: 1}]
scenarios:
  - flow:
      - loop:
          - get: {url: "/n/{{ $loopCount }}"}
        whileTrue: "$loopCount < 3"
        count: 1
      - loop:
          - get: {url: "/once"}
        whileTrue: "false"
`, redirector(&s))
	if got, want := s.list(), "GET /n/0\nGET /n/1\nGET /n/2\nGET /once"; got != want {
		t.Fatalf("requests:\n%s\nwant:\n%s", got, want)
	}
}

func TestWhileTrueThatDoesNotParseIsAnError(t *testing.T) {
	s := parse(t, "scenarios:\n  - flow:\n      - loop: [{get: {url: /}}]\n        whileTrue: \"n <\"\n")
	if _, err := Build(s, Options{Target: "http://127.0.0.1:1"}); err == nil || !strings.Contains(err.Error(), `t.yml:4:20: whileTrue "n <"`) {
		t.Fatalf("got %v", err)
	}
}
