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

const envScript = `config:
  target: http://base
  phases:
    - duration: 10
      arrivalRate: 5
    - duration: 20
      arrivalRate: 9
  variables:
    who: base
  environments:
    local:
      target: http://local
      phases:
        - arrivalCount: "{{ $env.COUNT }}"
      variables:
        region: "{{ $environment }}-{{ n }}"
scenarios:
  - flow:
      - get: {url: /}
`

func TestAssembleInArtilleryOrder(t *testing.T) {
	tests := []struct {
		name  string
		opts  Options
		check func(t *testing.T, s *Script)
	}{
		{"environment merges lists by index", Options{Environment: "local", Environ: envOf("COUNT", "3")}, func(t *testing.T, s *Script) {
			p := s.Config.Phases
			if s.Config.Target != "http://local" || len(p) != 2 || !p[0].HasCount || p[0].ArrivalCount != 3 || p[0].Duration != 10*time.Second || p[1].ArrivalRate != 9 {
				t.Fatalf("target %q phases %+v", s.Config.Target, p)
			}
		}},
		{"target flag wins over the environment", Options{Environment: "local", Target: "http://flag", Environ: envOf("COUNT", "1")}, func(t *testing.T, s *Script) {
			if s.Config.Target != "http://flag" {
				t.Fatalf("target %q", s.Config.Target)
			}
		}},
		{"-v feeds config templates and variables", Options{Environment: "local", Variables: `{"n": 7, "who": "cli"}`, Environ: envOf("COUNT", "1")}, func(t *testing.T, s *Script) {
			want := []Variable{{"who", "cli"}, {"region", "local-7"}, {"n", 7}}
			if diff := cmp.Diff(want, s.Config.Variables); diff != "" {
				t.Fatalf("variables (-want +got):\n%s", diff)
			}
		}},
		{"overrides replace lists whole", Options{Overrides: `{"config": {"phases": [{"duration": 1, "arrivalCount": 2}], "http": {"timeout": 3}}}`}, func(t *testing.T, s *Script) {
			if len(s.Config.Phases) != 1 || s.Config.Phases[0].ArrivalCount != 2 || s.Config.HTTP.Timeout != 3*time.Second {
				t.Fatalf("phases %+v http %+v", s.Config.Phases, s.Config.HTTP)
			}
		}},
		{"unknown environment only warns", Options{Environment: "nope"}, func(t *testing.T, s *Script) {
			if len(s.Warnings) != 1 || !strings.Contains(s.Warnings[0].Error(), `environment "nope" is set but not defined`) {
				t.Fatalf("warnings %v", s.Warnings)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ParseWith("env.yml", []byte(envScript), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, s)
		})
	}
}

func envOf(k, v string) func(string) (string, bool) {
	return func(name string) (string, bool) { return v, name == k }
}

func TestConfigFileMergedAfterTheScript(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "s.yml")
	common := filepath.Join(dir, "common.yml")
	os.WriteFile(script, []byte("config:\n  variables: {a: script, b: script}\n  payload: {path: rows.csv, fields: [x]}\nscenarios:\n  - flow: [{get: {url: /}}]\n"), 0o644)
	os.WriteFile(common, []byte("config:\n  target: http://common\n  variables: {a: common}\n  phases: [{duration: 1, arrivalRate: 2, arivalRate: 3}]\n"), 0o644)
	_, err := LoadWith(script, Options{ConfigFiles: []string{common}})
	if err == nil || !strings.Contains(err.Error(), common+`:4:42: config.phases[0]: unknown field "arivalRate"; did you mean "arrivalRate"?`) {
		t.Fatalf("an error in the config file should name it: %v", err)
	}
	os.WriteFile(common, []byte("config:\n  target: http://common\n  variables: {a: common}\n"), 0o644)
	s, err := LoadWith(script, Options{ConfigFiles: []string{common}})
	if err != nil {
		t.Fatal(err)
	}
	if s.Config.Target != "http://common" || s.Config.Variables[0] != (Variable{"a", "common"}) || s.Config.Variables[1] != (Variable{"b", "script"}) {
		t.Fatalf("%+v", s.Config)
	}
	if s.Config.Payloads[0].Path != filepath.Join(dir, "rows.csv") {
		t.Fatalf("payload path %q: want it relative to the script", s.Config.Payloads[0].Path)
	}
}

func TestFlagErrorsNameTheFlag(t *testing.T) {
	tests := []struct {
		opts Options
		want string
	}{
		{Options{Overrides: `{"config": `}, "--overrides: invalid JSON"},
		{Options{Overrides: `[1]`}, "--overrides: expected a JSON object"},
		{Options{Variables: `"x"`}, "-v: expected a JSON object"},
		{Options{Overrides: `{"config": {"phases": [{"duration": 1, "arrivalRat": 2}]}}`}, `--overrides:1:40: config.phases[0]: unknown field "arrivalRat"; did you mean "arrivalRate"?`},
	}
	for _, tt := range tests {
		_, err := ParseWith("s.yml", []byte("scenarios: [{flow: [{get: {url: /}}]}]\n"), tt.opts)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: got %v, want %q", tt.opts, err, tt.want)
		}
	}
}

func TestJavaScriptIsRejectedWithTheNativeAlternative(t *testing.T) {
	tests := []struct{ script, want string }{
		{"scenarios:\n  - flow:\n      - function: sign\n", `js.yml:3:9: scenarios[0].flow[0].function: JavaScript cannot run in Surge; use captures, templates`},
		{"scenarios:\n  - beforeRequest: sign\n    flow: [{get: {url: /}}]\n", `js.yml:2:5: scenarios[0].beforeRequest: JavaScript cannot run in Surge; use templates in url`},
		{"scenarios:\n  - flow:\n      - get:\n          url: /\n          afterResponse: check\n", `js.yml:5:11: scenarios[0].flow[0].get.afterResponse: JavaScript cannot run in Surge; use capture and expect`},
		{"config:\n  processor: ./f.js\nscenarios:\n  - flow:\n      - loop: [{get: {url: /}}]\n        whileTrue: more\n",
			`js.yml:6:20: whileTrue "more" names a JavaScript function of config.processor; Surge reads whileTrue as an expression over the VU's variables, e.g. whileTrue: "page < 5"`},
	}
	for _, tt := range tests {
		_, err := Parse("js.yml", []byte(tt.script))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("got %v\nwant %q", err, tt.want)
		}
	}
}

func TestIgnoredKeysWarn(t *testing.T) {
	s, err := Parse("w.yml", []byte(`config:
  processor: ./helpers.js
  statsInterval: 10
  phases:
    - duration: 1
      arrivalRate: 1
      timeout: 30
  plugins:
    publish-metrics: []
  ensure:
    thresholds: [{http.response_time.p99: 100}]
scenarios:
  - flow: [{get: {url: /}}]
`))
	if err != nil {
		t.Fatal(err)
	}
	if s.Config.Ensure != nil {
		t.Error("config.ensure without the ensure plugin must not run, as in Artillery")
	}
	var got []string
	for _, w := range s.Warnings {
		got = append(got, w.Error())
	}
	all := strings.Join(got, "\n")
	for _, want := range []string{"w.yml:3:3: warning: config.statsInterval is ignored", "w.yml:7:7: warning: config.phases[0].timeout is ignored",
		"w.yml:9:5: warning: config.plugins.publish-metrics: plugin not supported", `w.yml:2:14: warning: config.processor "./helpers.js" is ignored`,
		"w.yml:10:3: warning: config.ensure is ignored by Surge (the checks run only with the ensure plugin"} {
		if !strings.Contains(all, want) {
			t.Errorf("warnings lack %q:\n%s", want, all)
		}
	}
}

func TestStepsAndEnsure(t *testing.T) {
	s, err := Parse("f.yml", []byte(`config:
  plugins: {ensure: {}, expect: {expectDefault200: true}}
  ensure:
    p95: "250"
    maxErrorRate: 1
    thresholds: [{http.response_time.p99: 1e3}]
    conditions: [{expression: "a < 1", strict: false}]
scenarios:
  - weight: "{{ $env.W }}"
    flow:
      - think: 2s
        jitter: 10%
      - log: "hi {{ x }}"
      - loop:
          - post: {url: /a, form: {b: 1}, qs: {c: [1, 2]}, cookie: {d: e}, ifTrue: "x > 1", auth: {user: u, pass: p}}
        over: list
        loopValue: i
`))
	if err != nil {
		t.Fatal(err)
	}
	e := s.Config.Ensure
	if e == nil || e.Legacy[0] != (LegacyCheck{"p95", 250}) || e.Thresholds[0].Limit != "1000" || e.Conditions[0].Strict || !e.HasMaxErrorRate {
		t.Fatalf("ensure %+v", e)
	}
	f := s.Scenarios[0].Flow
	if s.Scenarios[0].WeightTemplate == "" || f[0].Think.Jitter != "10%" || f[1].Log.Text != "hi {{ x }}" {
		t.Fatalf("flow %+v", f)
	}
	l := f[2].Loop
	r := l.Steps[0].Request
	if l.Over != "list" || l.IndexVar != "i" || !r.HasForm || r.QS[0].Name != "c" || r.Cookies[0].Name != "d" || r.IfTrue != "x > 1" || r.Auth.User != "u" {
		t.Fatalf("loop %+v request %+v", l, r)
	}
}

// FuzzOverrides merges arbitrary JSON over a script: loading must end in
// a script or in positioned errors, never in a panic.
func FuzzOverrides(f *testing.F) {
	f.Add(`{"config": {"phases": [{"duration": 1, "arrivalCount": 1}]}}`, `{"n": 1}`)
	f.Add(`{"scenarios": [{"flow": [{"get": {"url": "/x"}}]}]}`, `{"list": [1, 2]}`)
	f.Add(`{"config": {"environments": {"e": {"target": 1}}}}`, `{}`)
	f.Add(`{"config": null}`, `{"a": {"b": null}}`)
	f.Fuzz(func(t *testing.T, overrides, variables string) {
		s, err := ParseWith("fuzz.yml", []byte(envScript), Options{Overrides: overrides, Variables: variables, Environment: "local"})
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

// A config template that renders undefined ({{ $env.UNSET }}) leaves the
// variable undefined, as Artillery does (it reaches a URL as
// "undefined", not "null"), and warns at its line:col: most often an
// environment variable that is not set.
func TestUndefinedConfigTemplateStaysUndefined(t *testing.T) {
	s, err := ParseWith("u.yml", []byte("config:\n  variables:\n    tok: \"{{ $env.UNSET }}\"\n    set: \"{{ $env.SET }}\"\nscenarios: [{flow: [{get: {url: /}}]}]\n"),
		Options{Environ: envOf("SET", "yes")})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]any{}
	for _, v := range s.Config.Variables {
		got[v.Name] = v.Value
	}
	if got["tok"] != templating.Undefined || got["set"] != "yes" {
		t.Errorf("variables %v: want tok undefined and set \"yes\"", got)
	}
	if len(s.Warnings) != 1 || !strings.Contains(s.Warnings[0].Error(), `u.yml:3:10: warning: template "{{ $env.UNSET }}" is undefined`) {
		t.Errorf("warnings %v", s.Warnings)
	}
}

// A config value whose template rendered undefined and that must not be
// (a phase's duration from an unset environment variable) is an error
// that names the template: the warning that explains the value is not
// shown beside errors, and "got nothing (null)" alone points at a line
// that holds no null.
func TestUndefinedTemplateInAnErrorIsNamed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "load.yml")
	script := "config:\n  target: http://127.0.0.1:1\n  phases:\n    - duration: \"{{ $env.DURATION }}\"\n      arrivalRate: 1\nscenarios: [{flow: [{get: {url: /}}]}]\n"
	if err := os.WriteFile(path, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := LoadWith(path, Options{Environ: envOf("OTHER", "1")})
	want := `load.yml:4:17: config.phases[0].duration: expected a duration (seconds, or e.g. 30s, 5m), got nothing (null) (the template "{{ $env.DURATION }}" rendered undefined`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("error %v\nwant it to contain %s", err, want)
	}
}
