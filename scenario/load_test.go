package scenario

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/surge-dev/surge/templating"
)

const sample = `config:
  target: "http://127.0.0.1:8080"
  http:
    timeout: 5
  defaults:
    headers:
      Authorization: "Bearer x"
  phases:
    - duration: 10
      arrivalRate: 5
      rampTo: 50
      name: warm up
    - pause: 2s
    - duration: "1m"
      arrivalCount: 100
      maxVusers: 20
    - duration: 30s
      users: 10
      spawnRate: 2
scenarios:
  - name: browse
    weight: 3
    flow:
      - get:
          url: "/items/{{ id }}"
          headers:
            X-Trace: "1"
      - think: 0.5
      - post:
          url: "/items"
          name: create
          json:
            name: widget
            tags: [a, b]
`

func TestParseSample(t *testing.T) {
	s, err := Parse("sample.yml", []byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	want := Config{
		Target:    "http://127.0.0.1:8080",
		TargetPos: Pos{2, 11},
		HTTP:      HTTP{Timeout: 5 * time.Second},
		Defaults:  Defaults{Headers: []Header{{Name: "authorization", Value: "Bearer x"}}, HasHeaders: true},
		Phases: []Phase{
			{Pos: Pos{9, 7}, Name: "warm up", Duration: 10 * time.Second, ArrivalRate: 5, RampTo: 50, HasRampTo: true},
			{Pos: Pos{13, 7}, Pause: 2 * time.Second},
			{Pos: Pos{14, 7}, Duration: time.Minute, ArrivalCount: 100, HasCount: true, MaxVUsers: 20},
			{Pos: Pos{17, 7}, Duration: 30 * time.Second, Users: 10, SpawnRate: 2},
		},
	}
	if diff := cmp.Diff(want, s.Config); diff != "" {
		t.Fatalf("config (-want +got):\n%s", diff)
	}
	sc := s.Scenarios[0]
	if sc.Name != "browse" || sc.Weight != 3 || len(sc.Flow) != 3 {
		t.Fatalf("scenario: %+v", sc)
	}
	get, think, post := sc.Flow[0].Request, sc.Flow[1].Think, sc.Flow[2].Request
	if get.Endpoint() != "GET /items/{{ id }}" || get.Headers[0] != (Header{Name: "x-trace", Value: "1"}) {
		t.Fatalf("get: %+v", get)
	}
	if think.Value != 0.5 {
		t.Fatalf("think: %v", think.Value)
	}
	wantJSON := templating.Object{{Key: "name", Value: "widget"}, {Key: "tags", Value: []any{"a", "b"}}}
	if post.Endpoint() != "create" || !post.HasJSON || !cmp.Equal(post.JSON, wantJSON) {
		t.Fatalf("post: %+v", post)
	}
}

func TestParseJSONScript(t *testing.T) {
	s, err := Parse("s.json", []byte(`{"config": {"target": "http://x", "phases": [{"duration": 1, "arrivalRate": 2}]},
 "scenarios": [{"flow": [{"get": {"url": "/"}}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if s.Config.Phases[0].ArrivalRate != 2 || s.Scenarios[0].Flow[0].Request.URL != "/" {
		t.Fatalf("%+v", s)
	}
}

// brokenScripts are scripts with one mistake each, and the error that
// must name its file, line, column and what was expected there.
var brokenScripts = []struct {
	name, script, want string
}{
	{"type error", "config:\n  phases:\n    - duration: 10\n      arrivalRate: ten\nscenarios: []\n",
		`bad.yml:4:20: config.phases[0].arrivalRate: expected a number, got "ten"`},
	{"hex float rate", "config:\n  phases:\n    - duration: 10\n      arrivalRate: 0x1p3\nscenarios: []\n",
		`bad.yml:4:20: config.phases[0].arrivalRate: expected a number in decimal notation (such as 10 or 2.5), got "0x1p3"`},
	{"inf rate", "config:\n  phases:\n    - duration: 10\n      arrivalRate: \"inf\"\nscenarios: []\n",
		`bad.yml:4:20: config.phases[0].arrivalRate: expected a number in decimal notation (such as 10 or 2.5), got "inf"`},
	{"hex float duration", "config:\n  phases:\n    - duration: 0x1p3\n      arrivalRate: 1\nscenarios: []\n",
		`bad.yml:3:17: config.phases[0].duration: invalid duration "0x1p3"`},
	{"misspelled field", "config:\n  phases:\n    - duration: 10\n      arivalRate: 5\nscenarios: []\n",
		`bad.yml:4:7: config.phases[0]: unknown field "arivalRate"; did you mean "arrivalRate"?`},
	{"unknown step", "scenarios:\n  - flow:\n      - gett:\n          url: /\n",
		`bad.yml:3:9: scenarios[0].flow[0]: unknown field "gett"; did you mean "get"?`},
	{"bad duration", "config:\n  phases:\n    - duration: 5 parsecs\n      arrivalRate: 1\nscenarios: []\n",
		`bad.yml:3:17: config.phases[0].duration: invalid duration "5 parsecs"`},
	{"missing url", "scenarios:\n  - flow:\n      - get:\n          name: x\n",
		`bad.yml:4:11: scenarios[0].flow[0].get: missing url`},
	{"missing flow", "scenarios:\n  - name: x\n", `bad.yml:2:5: scenarios[0]: missing flow`},
	{"missing scenarios", "config:\n  target: http://x\n", `bad.yml:1:1: script: missing scenarios`},
	{"syntax error", "config:\n  target: \"http://x\n", `bad.yml:3:1: found unexpected end of stream (while scanning a quoted scalar started at 2:11)`},
	{"flow not a list", "scenarios:\n  - flow: get\n", `bad.yml:2:11: scenarios[0].flow: expected a list, got "get"`},
	{"duplicate key", "config:\n  target: a\n  target: b\nscenarios: []\n", `bad.yml:3:3: config: duplicate key "target"`},
	// Maps the decoder reads as free-form (variables, environments,
	// headers, qs) kept the last value of a key given twice.
	{"duplicate variable", "config:\n  variables:\n    a: 1\n    a: 2\nscenarios: []\n",
		`bad.yml:4:5: config.variables: duplicate key "a" (first at line 3)`},
	{"duplicate environment", "config:\n  environments:\n    s: {target: x}\n    s: {target: y}\nscenarios: []\n",
		`bad.yml:4:5: config.environments: duplicate key "s" (first at line 3)`},
	{"duplicate header", "scenarios:\n  - flow:\n      - get: {url: /, headers: {A: 1, A: 2}}\n",
		`bad.yml:3:39: scenarios[0].flow[0].get.headers: duplicate key "A" (first at line 3)`},
	// An environment not chosen with -e had its keys checked only by
	// a run that chose it; its templates still wait for the choice.
	{"typo in an environment not chosen", "config:\n  environments:\n    prod:\n      targett: x\n      phases: [{duration: \"{{ $env.D }}\"}]\nscenarios: []\n",
		`bad.yml:4:7: config.environments.prod: unknown field "targett"; did you mean "target"?`},
	{"duplicate in a JSON script", `{"config": {"variables": {"a": 1, "a": 2}}, "scenarios": []}`,
		`bad.yml:1:35: config.variables: duplicate key "a" (first at line 1)`},
	{"negative rate", "config:\n  phases:\n    - duration: 1\n      arrivalRate: -3\nscenarios: []\n",
		`config.phases[0].arrivalRate: must not be negative`},
	{"mixed models", "config:\n  phases:\n    - duration: 1\n      arrivalRate: 3\n      users: 2\nscenarios: []\n",
		`users (closed model) cannot be combined`},
	{"maxVusers on users", "config:\n  phases:\n    - duration: 1\n      users: 10\n      maxVusers: 5\nscenarios: []\n",
		`bad.yml:5:18: config.phases[0].maxVusers: a phase of users runs exactly users VUs`},
	{"empty", "", `bad.yml: the script is empty`},
	{"empty step", "scenarios: [{flow: [{}]}]\n", `bad.yml:1:21: scenarios[0].flow[0]: empty step: expected one of delete, get`},
	{"two actions", "scenarios:\n  - flow:\n      - get: {url: /}\n        think: 1\n", `bad.yml:3:9: scenarios[0].flow[0]: a step has exactly one action`},
	{"quoted boolean", "config:\n  tls: {rejectUnauthorized: \"false\"}\nscenarios: [{flow: [{get: {url: /}}]}]\n",
		`bad.yml:2:29: config.tls.rejectUnauthorized: expected true or false, got the string "false": write the boolean without quotes`},
	{"ensure limit not a number", "config:\n  plugins: {ensure: {}}\n  ensure:\n    thresholds:\n      - http.response_time.p99: x\nscenarios: [{flow: [{get: {url: /}}]}]\n",
		`bad.yml:5:33: config.ensure.thresholds[0]: expected a number, the limit of http.response_time.p99 < limit; got "x"`},
	{"users 0", "config:\n  phases:\n    - duration: 5\n      users: 0\nscenarios: []\n",
		`bad.yml:4:14: config.phases[0].users: expected at least 1 user`},
	{"header name not ASCII", "config:\n  defaults: {headers: {x-ü: 1}}\nscenarios: [{flow: [{get: {url: /}}]}]\n",
		`header name "x-ü": 'ü' is not allowed in a header name`},
	{"loadAll without name", "config:\n  payload: {path: u.csv, loadAll: true}\nscenarios: [{flow: [{get: {url: /}}]}]\n",
		`bad.yml:2:12: config.payload: loadAll needs name: the variable that holds the rows`},
	{"maxVusers 0", "config:\n  phases:\n    - duration: 1\n      arrivalRate: 3\n      maxVusers: 0\nscenarios: []\n",
		`bad.yml:5:18: config.phases[0].maxVusers: 0 would skip every arrival of the phase`},
	{"misspelled plugin", "config:\n  plugins: {expct: {}}\nscenarios: [{flow: [{get: {url: /}}]}]\n",
		`bad.yml:2:13: config.plugins.expct: unknown plugin; did you mean "expect"?`},
	{"plugin in capitals", "config:\n  plugins: {Ensure: {}}\nscenarios: [{flow: [{get: {url: /}}]}]\n",
		`bad.yml:2:13: config.plugins.Ensure: unknown plugin; did you mean "ensure"?`},
	{"number for a boolean", "config:\n  tls: {rejectUnauthorized: 0}\nscenarios: [{flow: [{get: {url: /}}]}]\n",
		`bad.yml:2:29: config.tls.rejectUnauthorized: expected true or false, got 0`},
	// Artillery cannot run this ("Unknown phase spec"); Surge ran no
	// arrivals without a word.
	{"phase without arrivals", "config:\n  phases:\n    - duration: 10\nscenarios: []\n",
		`bad.yml:3:7: config.phases[0]: the phase starts no arrival: give arrivalRate, arrivalCount or users (or write pause: for a wait)`},
	// The parser's message names no tab, and an editor shows one as
	// spaces.
	{"tab indent", "config:\n\ttarget: http://x\nscenarios: []\n",
		`bad.yml:2:1: found character that cannot start any token (while scanning for the next token started at 2:1): it is a tab, and YAML indents with spaces only`},
	{"tab after spaces", "scenarios:\n  - flow:\n      - get:\n  \t      url: /\n",
		`bad.yml:4:3: found character that cannot start any token (while scanning for the next token started at 4:3): it is a tab`},
	// over is a variable's name, never rendered: "{{ items }}" names
	// none, and the loop was skipped without a word.
	{"loop over a template", "scenarios:\n  - flow:\n      - loop: [{log: x}]\n        over: \"{{ items }}\"\n",
		`bad.yml:4:15: scenarios[0].flow[0].over: "{{ items }}" is a template, but over takes the name of a list variable as it is: write over: items`},
}

func TestBrokenScriptsNamePositionAndExpectation(t *testing.T) {
	for _, tt := range brokenScripts {
		t.Run(tt.name, func(t *testing.T) {
			wantScriptError(t, "bad.yml", tt.script, tt.want)
		})
	}
}

func TestAllErrorsReportedAtOnce(t *testing.T) {
	_, err := Parse("x.yml", []byte("config:\n  targt: a\n  phases:\n    - duration: x\nscenarios:\n  - flw: []\n"))
	es, _ := AsErrors(err)
	if len(es) < 3 {
		t.Fatalf("want at least 3 errors, got %d: %v", len(es), err)
	}
}

func TestAliasesAndNestedFlows(t *testing.T) {
	s, err := Parse("a.yml", []byte(`common: &common
  - get: {url: /a}
  - get: {url: /b}
scenarios:
  - flow:
    - *common
    - get: {url: /c}
`))
	if err != nil || len(s.Warnings) != 1 || !strings.Contains(s.Warnings[0].Error(), `a.yml:1:1: warning: top-level key "common" is ignored`) {
		t.Fatalf("an anchor-holding top-level key should only warn: %v %v", err, s)
	}
	if n := len(s.Scenarios[0].Flow); n != 3 {
		t.Fatalf("aliased steps spliced into %d steps, want 3", n)
	}
	s, err = Parse("a.yml", []byte(`scenarios:
  - flow: &steps
    - get: {url: /a}
  - flow:
    - *steps
    - get: {url: /c}
`))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(s.Scenarios[1].Flow); n != 2 {
		t.Fatalf("nested flow flattened to %d steps, want 2", n)
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "nope.yml"))
	if err == nil || !strings.Contains(err.Error(), "nope.yml: cannot read script") {
		t.Fatalf("got %v", err)
	}
}

func TestParseDuration(t *testing.T) {
	tests := map[string]time.Duration{
		"10": 10 * time.Second, "1.5": 1500 * time.Millisecond, "30s": 30 * time.Second, "5m": 5 * time.Minute,
		"10min": 10 * time.Minute, "500ms": 500 * time.Millisecond, "1h": time.Hour, "2 hours": 2 * time.Hour,
	}
	for in, want := range tests {
		if got, err := ParseDuration(in); err != nil || got != want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	// 9223372036.854775807 seconds rounds to 2^63 ns, one past the longest
	// duration: it was taken, and converted to a negative one.
	for _, bad := range []string{"", "abc", "5 parsecs", "-3s", "s", "9223372036.854775807", "9223372036.854775807s", "9223372036854.775807 ms"} {
		if _, err := ParseDuration(bad); err == nil {
			t.Errorf("ParseDuration(%q) accepted", bad)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(sample))
	f.Add([]byte("config: {phases: [{duration: 1, arrivalRate: 1}]}\nscenarios: [{flow: [{get: {url: /}}]}]"))
	f.Add([]byte("scenarios:\n  - flow: &a\n    - *a\n"))
	f.Add([]byte("a: &a {duration: 1}\nconfig: {phases: [{arrivalCount: 2, <<: [*a, {name: x}]}]}\nscenarios: [{flow: [{get: {url: /}}]}]"))
	if data, err := os.ReadFile("testdata/fuzz-seed.yml"); err == nil {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse("fuzz.yml", data)
		if err == nil && s == nil {
			t.Fatal("nil script without error")
		}
		if err != nil {
			if _, ok := AsErrors(err); !ok {
				t.Fatalf("error of unexpected type %T: %v", err, err)
			}
		}
	})
}

func TestMonitorConfig(t *testing.T) {
	for _, tt := range []struct {
		script string
		want   Monitor
		err    string
	}{
		{"config:\n  monitor: http://127.0.0.1:9/metrics\nscenarios: [{flow: [{get: {url: http://x/}}]}]\n",
			Monitor{URL: "http://127.0.0.1:9/metrics"}, ""},
		{"config:\n  monitor: {url: http://h/m, series: [a, b]}\nscenarios: [{flow: [{get: {url: http://x/}}]}]\n",
			Monitor{URL: "http://h/m", Series: []string{"a", "b"}}, ""},
		{"config:\n  monitor: {serie: [a]}\nscenarios: [{flow: [{get: {url: http://x/}}]}]\n",
			Monitor{}, `did you mean "series"?`},
	} {
		s, err := Parse("m.yml", []byte(tt.script))
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%q: error %v, want %q", tt.script, err, tt.err)
			}
			continue
		}
		if err != nil || !cmp.Equal(s.Config.Monitor, tt.want) {
			t.Errorf("%q: %+v %v", tt.script, s.Config.Monitor, err)
		}
	}
}

// TestLoadRefusesDevices: a script path naming /dev/zero used to be read
// until memory ran out.
func TestLoadRefusesDevices(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	_, err := Load("/dev/zero")
	if err == nil || !strings.Contains(err.Error(), "/dev/zero: cannot read script: /dev/zero is a character device") {
		t.Fatalf("got %v", err)
	}
}

// wantScriptError parses script as file and wants a script error (file,
// line and column) that contains want.
func wantScriptError(t *testing.T, file, script, want string) {
	t.Helper()
	_, err := Parse(file, []byte(script))
	if err == nil {
		t.Fatal("parsed without error")
	}
	if _, ok := AsErrors(err); !ok {
		t.Fatalf("error is not a script error: %T %v", err, err)
	}
	if !strings.Contains(err.Error(), want) {
		t.Fatalf("error:\n%v\nwant it to contain:\n%s", err, want)
	}
}

// TestRequestTimeoutOnlyWarns: Artillery runs a script whose request has
// a timeout (config.http.timeout overwrites it); Surge refused it as an
// unknown field.
func TestRequestTimeoutOnlyWarns(t *testing.T) {
	s, err := Parse("a.yml", []byte("scenarios:\n  - flow:\n      - get: {url: /, timeout: 2}\n"))
	if err != nil {
		t.Fatalf("a request's timeout should only warn: %v", err)
	}
	if len(s.Warnings) != 1 || !strings.Contains(s.Warnings[0].Error(),
		"a.yml:3:23: warning: scenarios[0].flow[0].get.timeout is ignored by Surge (Artillery ignores it too") {
		t.Fatalf("warnings: %v", s.Warnings)
	}
}

// TestNumbersInHeadersAreJavaScriptNumbers: a YAML number is a number in
// Artillery, sent as JavaScript prints it ("x-version: 2.0" as 2); Surge
// sent the text as written.
func TestNumbersInHeadersAreJavaScriptNumbers(t *testing.T) {
	s, err := Parse("a.yml", []byte(`scenarios:
  - flow:
      - get:
          url: /
          headers: {x-f: 1.50, x-v: 2.0, x-e: 1e3, x-h: 0x1F, x-s: "1.50", x-t: v1.0}
          cookie: {c: 1.0}
`))
	if err != nil {
		t.Fatal(err)
	}
	r := s.Scenarios[0].Flow[0].Request
	got := map[string]string{}
	for _, h := range append(r.Headers, r.Cookies...) {
		got[h.Name] = h.Value
	}
	want := map[string]string{"x-f": "1.5", "x-v": "2", "x-e": "1000", "x-h": "31", "x-s": "1.50", "x-t": "v1.0",
		"c": "1"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q, want %q", k, got[k], v)
		}
	}
}

// TestPhaseKeysArtilleryIgnoresWarn: a pause phase ignores its rates, and
// arrivalCount wins over arrivalRate and rampTo (Artillery's order); the
// test runs as Artillery runs it, and the ignored keys are named. A
// rampTo alone ramps from 0, as in Artillery 2, without a word.
func TestPhaseKeysArtilleryIgnoresWarn(t *testing.T) {
	s, err := Parse("p.yml", []byte("config:\n  phases:\n    - pause: 2\n      arrivalRate: 5\n    - duration: 2\n      arrivalCount: 4\n      arrivalRate: 9\n    - duration: 2\n      arrivalRate: 0\n      rampTo: 3\n    - duration: 2\n      rampTo: 4\nscenarios: [{flow: [{get: {url: /}}]}]\n"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range s.Warnings {
		got = append(got, w.Error())
	}
	want := []string{
		"p.yml:3:7: warning: config.phases[0]: a phase with pause only waits: its arrivalRate, arrivalCount and rampTo are ignored, as in Artillery",
		"p.yml:5:7: warning: config.phases[1]: arrivalCount wins: the phase's arrivalRate and rampTo are ignored, as in Artillery",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if p := s.Config.Phases; len(p) != 4 || p[0].Pause != 2*time.Second || p[1].ArrivalCount != 4 ||
		p[3].ArrivalRate != 0 || !p[3].HasRampTo || p[3].RampTo != 4 {
		t.Fatalf("phases %+v", p)
	}
}

// TestEmptyFlowWarns: a scenario whose flow has no step runs VUs that send
// nothing; Artillery runs it without a word, Surge names it.
func TestEmptyFlowWarns(t *testing.T) {
	s, err := Parse("e.yml", []byte("config:\n  target: http://127.0.0.1:1\nscenarios:\n  - flow: []\n  - flow: [{get: {url: /}}]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Warnings) != 1 || s.Warnings[0].Error() != "e.yml:4:11: warning: scenarios[0].flow is empty: its VUs send no request" {
		t.Fatalf("warnings %v", s.Warnings)
	}
}
