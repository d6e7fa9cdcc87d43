package flow

import (
	"strings"
	"testing"

	"github.com/surge-dev/surge/scenario"
)

// buildScript compiles script against a target that is never reached.
func buildScript(t *testing.T, script string) (*Program, error) {
	t.Helper()
	s, err := scenario.Parse("t.yml", []byte(script))
	if err != nil {
		t.Fatal(err)
	}
	return Build(s, Options{Target: "http://127.0.0.1:9"})
}

// TestExpectChecksJudgedDifferentlyAreNamed: what Artillery's expect
// plugin would judge otherwise, or never pass, is said at load.
func TestExpectChecksJudgedDifferentlyAreNamed(t *testing.T) {
	p, err := buildScript(t, `config:
  plugins: {expect: {}}
scenarios:
  - flow:
      - get:
          url: /a
          expect:
            - statusCode: 200
              contentType: json
            - hasHeader: Content-Type
            - headerEquals: [X-Id, "1"]
            - hasHeader: "{{ name }}"
`)
	if err != nil {
		t.Fatal(err)
	}
	all := warningText(p)
	for _, want := range []string{
		"t.yml:7:11: warning: expect item 1 holds 2 checks (contentType, statusCode): Artillery judges only the first",
		`expect hasHeader "Content-Type": Artillery never finds a header named with capitals`,
		`expect headerEquals "X-Id"`,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("warnings lack %q:\n%s", want, all)
		}
	}
	if strings.Count(all, "warning:") != 3 {
		t.Errorf("want 3 warnings:\n%s", all)
	}
}

// TestExpectStatusThatIsNoNumberIsAnError: statusCode: ok can never pass.
func TestExpectStatusThatIsNoNumberIsAnError(t *testing.T) {
	_, err := buildScript(t, `config:
  plugins: {expect: {}}
scenarios:
  - flow:
      - get: {url: /a, expect: [{statusCode: ok}, {notStatusCode: [500, "5xx"]}, {statusCode: "{{ code }}"}, {statusCode: "201"}]}
`)
	for _, want := range []string{`expect statusCode: "ok" is not a status code`, `expect notStatusCode: "5xx" is not a status code`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v lacks %q", err, want)
		}
	}
	if err != nil && strings.Count(err.Error(), "not a status code") != 2 {
		t.Errorf("want 2 errors: %v", err)
	}
}

// TestExpectWithoutThePluginWarnsOnce: the checks are skipped, as in
// Artillery, and said once for the script.
func TestExpectWithoutThePluginWarnsOnce(t *testing.T) {
	p, err := buildScript(t, `scenarios:
  - flow:
      - get: {url: /a, expect: [{statusCode: 200}]}
      - get: {url: /b, expect: [{statusCode: 200}]}
`)
	if err != nil {
		t.Fatal(err)
	}
	if all := warningText(p); strings.Count(all, "the expect plugin is not enabled") != 1 {
		t.Fatalf("warnings:\n%s", all)
	}
}

func warningText(p *Program) string {
	var b strings.Builder
	for _, w := range p.Warnings {
		b.WriteString(w.Error() + "\n")
	}
	return b.String()
}

// TestHeaderCaptureWithCapitalsWarns: Artillery's header capture looks
// the name up as written among Node's lower-case names, so "X-Token"
// always fails there (and the VU with it); Surge captures it and says so.
func TestHeaderCaptureWithCapitalsWarns(t *testing.T) {
	p, err := buildScript(t, `scenarios:
  - flow:
      - get:
          url: /a
          capture:
            - {header: X-Token, as: tok}
            - {header: x-other, as: other}
            - {header: "{{ name }}", as: any}
          match: {header: ETag, value: "1"}
`)
	if err != nil {
		t.Fatal(err)
	}
	all := warningText(p)
	for _, want := range []string{
		`t.yml:5:11: warning: capture header "X-Token": Artillery never finds a header named with capitals`,
		`t.yml:9:11: warning: match header "ETag"`, `write "etag"`,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("warnings lack %q:\n%s", want, all)
		}
	}
	if strings.Count(all, "warning:") != 2 {
		t.Errorf("want 2 warnings:\n%s", all)
	}
}
