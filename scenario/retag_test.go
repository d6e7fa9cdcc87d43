package scenario

import (
	"strings"
	"testing"

	"github.com/surge-dev/surge/templating"
)

// TestPlainScalarsAreReadAsArtilleryReadsThem checks a script's values
// against the bytes Artillery 2.0.34 sent a loopback server for the same
// script: js-yaml 3 reads "1:30" as 90 and "0o17" as text, where the
// YAML library here reads the opposite. A date stays its text (a
// documented difference), and never becomes null.
func TestPlainScalarsAreReadAsArtilleryReadsThem(t *testing.T) {
	s, err := Parse("c.yml", []byte(`config:
  target: http://127.0.0.1:1
  phases: [{duration: 1:00, arrivalRate: 1}]
  variables: {since: 2024-01-01, t: 1:30, store: 0042, code: 08, quoted: "1:30"}
scenarios:
  - flow:
      - post:
          url: /j
          headers: {x-t: 12:30, x-oct: 0o17, x-z: 0089, x-h: 0X1f, x-n: 1_000}
          json: {raw: 2024-01-01, s: 1:30, o: 0o17, p: +.5, n: 1_000, f: 190:20:30.15}
`))
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{}
	for _, v := range s.Config.Variables {
		vars[v.Name] = templating.JSString(v.Value)
	}
	wantVars := map[string]string{"since": "2024-01-01", "t": "90", "store": "34", "code": "08", "quoted": "1:30"}
	for k, want := range wantVars {
		if vars[k] != want {
			t.Errorf("variable %s: %q, want %q", k, vars[k], want)
		}
	}
	r := s.Scenarios[0].Flow[0].Request
	headers := map[string]string{}
	for _, h := range r.Headers {
		headers[h.Name] = h.Value
	}
	wantHeaders := map[string]string{"x-t": "750", "x-oct": "0o17", "x-z": "0089", "x-h": "0X1f", "x-n": "1000"}
	for k, want := range wantHeaders {
		if headers[k] != want {
			t.Errorf("header %s: %q, want %q", k, headers[k], want)
		}
	}
	body := string(templating.AppendJSON(nil, r.JSON))
	if want := `{"raw":"2024-01-01","s":90,"o":"0o17","p":"+.5","n":1000,"f":685230.15}`; body != want {
		t.Errorf("json body %s, want %s", body, want)
	}
	if d := s.Config.Phases[0].Duration; d.Seconds() != 60 {
		t.Errorf("phase duration 1:00 read as %v, want 60s (base 60, as Artillery)", d)
	}
	warned := strings.Join(warningTexts(s), "\n")
	for _, want := range []string{"1:30 is read in base 60 as the number 90", "0042 is read in octal", "12:30 is read in base 60 as the number 750",
		"2024-01-01 is a date in Artillery"} {
		if !strings.Contains(warned, want) {
			t.Errorf("no warning %q in:\n%s", want, warned)
		}
	}
}

func warningTexts(s *Script) []string {
	var out []string
	for _, w := range s.Warnings {
		out = append(out, w.Error())
	}
	return out
}

// A number or a boolean as a body, or as auth's user or pass, is refused
// by Artillery (the body fails every request, auth fails validation);
// Surge sent its digits. Quoted, each is text and accepted.
func TestBodyAndAuthMustBeText(t *testing.T) {
	_, err := Parse("e.yml", []byte(`scenarios:
  - flow:
      - post: {url: /a, body: 5}
      - get: {url: /b, auth: {user: 1, pass: true}}
      - post: {url: /c, body: "5", auth: {user: "1", pass: "{{ p }}"}}
`))
	if err == nil {
		t.Fatal("a number as a body was accepted")
	}
	for _, want := range []string{"e.yml:3:31: scenarios[0].flow[0].post.body: want text, got the number 5",
		"e.yml:4:37: scenarios[0].flow[1].get.auth.user: want text, got the number 1",
		"auth.pass: want text, got the boolean true"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%v\nwant %q", err, want)
		}
	}
	if n := strings.Count(err.Error(), "want text"); n != 3 {
		t.Errorf("%d refusals, want 3 (the quoted values are text): %v", n, err)
	}
}
