package scenario

import (
	"strings"
	"testing"
)

func expectScript(value string) string {
	return "config:\n  target: http://127.0.0.1\n  http:\n    expectStatus: " + value + "\nscenarios: [{flow: [{get: {url: /}}]}]\n"
}

func TestExpectStatus(t *testing.T) {
	for value, want := range map[string]string{
		`[200, 201, "2xx", "300-399"]`: "200-399",
		`[200, 404]`:                   "200,404",
		`"200-399,404"`:                "200-399,404",
		`204`:                          "204",
		"\n      - 2xx\n      - 429":   "200-299,429",
	} {
		s, err := Parse("e.yml", []byte(expectScript(value)))
		if err != nil {
			t.Errorf("%s: %v", value, err)
			continue
		}
		if got := s.Config.HTTP.ExpectStatus; got == nil || got.String() != want {
			t.Errorf("%s: expected statuses %v, want %s", value, got, want)
		}
	}
	s, err := Parse("e.yml", []byte("config:\n  target: http://127.0.0.1\nscenarios: [{flow: [{get: {url: /}}]}]\n"))
	if err != nil || s.Config.HTTP.ExpectStatus != nil {
		t.Errorf("without expectStatus: %v %v (want nil: the default)", s.Config.HTTP.ExpectStatus, err)
	}
}

// TestExpectStatusRejectsWithPosition: a bad definition of failure is an
// error at the value, never a silent default.
func TestExpectStatusRejectsWithPosition(t *testing.T) {
	for value, want := range map[string]string{
		`[200, 600]`:       `e.yml:4:25: config.http.expectStatus[1]: "600": want status codes of three digits from 100 to 599`,
		`[200, "6xx"]`:     `e.yml:4:25: config.http.expectStatus[1]: "6xx": a status class is 1xx to 5xx`,
		`[]`:               `e.yml:4:19: config.http.expectStatus: empty list`,
		`[200.0]`:          `e.yml:4:20: config.http.expectStatus[0]: expected a status code, range or class, got "200.0"`,
		`[true]`:           `e.yml:4:20: config.http.expectStatus[0]: expected a status code, range or class, got "true"`,
		`["300-200"]`:      `config.http.expectStatus[0]: "300-200": range ends before it starts`,
		`[[200]]`:          `e.yml:4:20: config.http.expectStatus[0]: expected a status code, range or class, got a list`,
		`{ok: 200}`:        `e.yml:4:19: config.http.expectStatus: expected a list of status codes`,
		`"200,,404"`:       `e.yml:4:19: config.http.expectStatus: expected statuses: "200,,404": item 2 is empty`,
		`[+200]`:           `e.yml:4:20: config.http.expectStatus[0]: "+200": want status codes of three digits`,
		`[0200, 404]`:      `e.yml:4:20: config.http.expectStatus[0]: "0200": want status codes of three digits`,
		`"200-0299"`:       `e.yml:4:19: config.http.expectStatus: expected statuses: "200-0299": want status codes of three digits`,
		`[200, "200,404"]`: `config.http.expectStatus[1]: "200,404": want status codes`,
		`null`:             `e.yml:4:19: config.http.expectStatus: expected a status code, range or class, got "null"`,
	} {
		_, err := Parse("e.yml", []byte(expectScript(value)))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error\n%v\nwant it to contain\n%s", value, err, want)
		}
	}
}
