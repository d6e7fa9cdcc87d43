package scenario

import (
	"strings"
	"testing"
)

// TestValuesOutOfRange: each script loaded before (some ran for hours,
// some sent a silent default); now each is an error at the value's
// file:line:col.
func TestValuesOutOfRange(t *testing.T) {
	phase := func(p string) string {
		return "config:\n  phases:\n    - " + p + "\nscenarios: [{flow: [{get: {url: http://x/}}]}]\n"
	}
	tests := []struct{ name, script, want string }{
		{"rate above the process limit", phase("{duration: 2, arrivalRate: 1e12}"),
			`bad.yml:3:34: config.phases[0].arrivalRate: 1e12 is more than 1000000 a second in one process`},
		{"rampTo above the limit", phase("{duration: 2, arrivalRate: 1, rampTo: 2000000}"),
			`config.phases[0].rampTo: 2000000 is more than 1000000`},
		{"spawnRate above the limit", phase("{duration: 2, users: 2, spawnRate: 1e9}"),
			`config.phases[0].spawnRate: 1e9 is more than 1000000`},
		{"too many users", phase("{duration: 2, users: 10000000}"),
			`config.phases[0].users: 10000000 is more than 1000000 users in one process`},
		{"arrivalCount faster than the limit", phase("{duration: 1, arrivalCount: 5000000}"),
			`config.phases[0].arrivalCount: 5000000 is more than 1000000 over 1s`},
		{"fractional count", phase("{duration: 1, arrivalCount: 2.5}"), `expected a whole number, got 2.5`},
		{"negative maxVusers", phase("{duration: 1, arrivalRate: 1, maxVusers: -1}"), `maxVusers: must not be negative`},
		{"duration of a year", phase("{duration: 365 days, arrivalRate: 1}"),
			`config.phases[0].duration: 8760h0m0s is longer than 720h0m0s`},
		{"not a duration", phase("{duration: true, arrivalRate: 1}"), `invalid duration "true"`},
		{"zero timeout", "config:\n  http:\n    timeout: 0\nscenarios: [{flow: [{get: {url: http://x/}}]}]\n",
			`bad.yml:3:14: config.http.timeout: must be positive, got 0`},
		{"legacy zero timeout", "config:\n  timeout: 0s\nscenarios: [{flow: [{get: {url: http://x/}}]}]\n",
			`config.timeout: must be positive`},
		{"header injection", "config:\n  defaults:\n    headers:\n      x-a: \"1\\r\\nX-Injected: yes\"\nscenarios: [{flow: [{get: {url: http://x/}}]}]\n",
			`bad.yml:4:12: config.defaults.headers: header x-a: the value holds the control character '\r'`},
		{"folded header value ends in a line break", "scenarios:\n  - flow:\n      - get:\n          url: http://x/\n          headers:\n            authorization: >\n              Bearer abc\n",
			`header authorization: the value holds the control character '\n'`},
		{"header name with a space", "scenarios:\n  - flow:\n      - get: {url: http://x/, headers: {\"x y\": 1}}\n",
			`header name "x y": ' ' is not allowed`},
		{"monitor that is no http URL", "config:\n  monitor: ftp://x/metrics\nscenarios: [{flow: [{get: {url: http://x/}}]}]\n",
			`bad.yml:2:12: config.monitor: "ftp://x/metrics" is not an http(s) URL with a host`},
		{"probability above 100", "scenarios:\n  - flow:\n      - get: {url: http://x/, probability: 150}\n",
			`probability: 150 is more than 100 (percent)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("bad.yml", []byte(tt.script))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error:\n%v\nwant it to contain:\n%s", err, tt.want)
			}
		})
	}
}

// TestValuesAtTheLimitsLoad: what Artillery accepts within the limits
// still loads.
func TestValuesAtTheLimitsLoad(t *testing.T) {
	script := `config:
  http: {timeout: 0.5}
  phases:
    - {duration: 10, arrivalCount: 10000000}
    - {duration: 1, arrivalRate: 1000000}
    - {duration: 30 days, arrivalRate: 0.5, rampTo: 2}
    - {duration: 1, users: 1000000, spawnRate: 1000000}
    - {pause: "1.5"}
scenarios: [{flow: [{get: {url: http://x/, headers: {x-tab: "a\tb"}, probability: 100}}]}]
`
	if _, err := Parse("ok.yml", []byte(script)); err != nil {
		t.Fatal(err)
	}
}

// Text that is not UTF-8 (a binary file, a script saved in Latin-1) is
// refused at its first bad byte; the parser named no position.
func TestNotUTF8NamesTheFirstBadByte(t *testing.T) {
	_, err := Parse("bad.yml", []byte("config:\n  target: http://127.0.0.1:9\n  ph\xffases: []\n"))
	want := "bad.yml:3:5: byte 0xff is not UTF-8 text"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("error %v, want %q", err, want)
	}
}
