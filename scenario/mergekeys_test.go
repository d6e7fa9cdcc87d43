package scenario

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// mergeFlow is a scenario for scripts whose point is elsewhere.
const mergeFlow = "scenarios: [{flow: [{get: {url: /}}]}]\n"

// TestMergeKeysFollowTheSpec: explicit keys beat merged ones wherever <<
// stands, earlier maps of a merged list beat later ones, and every
// mapping of a script takes merge keys, as in js-yaml (Artillery's).
func TestMergeKeysFollowTheSpec(t *testing.T) {
	tests := []struct {
		name   string
		opts   Options
		script string
		got    func(s *Script) any
		want   any
	}{
		{"explicit key before << wins", Options{},
			"x: &ph {duration: 1, arrivalCount: 1}\nconfig: {phases: [{arrivalCount: 3, <<: *ph}]}\n" + mergeFlow,
			func(s *Script) any { return []any{s.Config.Phases[0].ArrivalCount, s.Config.Phases[0].Duration} },
			[]any{int64(3), time.Second}},
		{"explicit key after << wins", Options{},
			"x: &ph {duration: 1, arrivalCount: 1}\nconfig: {phases: [{<<: *ph, arrivalCount: 3}]}\n" + mergeFlow,
			func(s *Script) any { return s.Config.Phases[0].ArrivalCount }, int64(3)},
		{"merged map's own merge is resolved first", Options{},
			"b: &b {duration: 5, arrivalCount: 1}\np: &p {arrivalCount: 2, <<: *b}\nconfig: {phases: [{<<: *p}]}\n" + mergeFlow,
			func(s *Script) any { return s.Config.Phases[0].ArrivalCount }, int64(2)},
		{"list form: earlier maps win, explicit keys over all", Options{},
			"a: &a {duration: 1, name: a}\nb: &b {duration: 2, name: b, arrivalCount: 2}\n" +
				"config: {phases: [{arrivalCount: 3, <<: [*a, *b]}]}\n" + mergeFlow,
			func(s *Script) any { p := s.Config.Phases[0]; return []any{p.Name, p.Duration, p.ArrivalCount} },
			[]any{"a", time.Second, int64(3)}},
		{"list form through an alias", Options{},
			"ms: &ms [{duration: 1}, {duration: 2, arrivalCount: 2}]\nconfig: {phases: [{<<: *ms}]}\n" + mergeFlow,
			func(s *Script) any { return []any{s.Config.Phases[0].Duration, s.Config.Phases[0].ArrivalCount} },
			[]any{time.Second, int64(2)}},
		{"two merge keys: the first wins", Options{},
			"a: &a {duration: 1}\nb: &b {duration: 2, arrivalCount: 2}\nconfig: {phases: [{<<: *a, name: p, <<: *b}]}\n" + mergeFlow,
			func(s *Script) any { return []any{s.Config.Phases[0].Duration, s.Config.Phases[0].ArrivalCount} },
			[]any{time.Second, int64(2)}},
		{"list form with an inline mapping", Options{},
			"a: &a {duration: 1, arrivalCount: 1}\nconfig: {phases: [{<<: [{arrivalCount: 4}, *a]}]}\n" + mergeFlow,
			func(s *Script) any { return s.Config.Phases[0].ArrivalCount }, int64(4)},
		{"variables", Options{},
			"v: &v {a: 1, b: 1}\nconfig: {variables: {<<: *v, b: 2}}\n" + mergeFlow,
			func(s *Script) any { return s.Config.Variables },
			[]Variable{{"a", 1}, {"b", 2}}},
		{"a key overriding a merged one takes its place, as in js-yaml", Options{},
			"v: &v {a: 1, b: 1}\nconfig: {variables: {<<: *v, c: 3, a: 2}}\n" + mergeFlow,
			func(s *Script) any { return s.Config.Variables },
			[]Variable{{"a", 2}, {"b", 1}, {"c", 3}}},
		{"defaults.headers", Options{},
			"h: &h {X-A: '1', X-B: '1'}\nconfig: {defaults: {headers: {X-B: '2', <<: *h}}}\n" + mergeFlow,
			func(s *Script) any { return s.Config.Defaults.Headers },
			[]Header{{Name: "x-b", Value: "2"}, {Name: "x-a", Value: "1"}}},
		{"request", Options{},
			"r: &r {url: /a, name: base}\nscenarios: [{flow: [{get: {url: /b, <<: *r}}]}]\n",
			func(s *Script) any { r := s.Scenarios[0].Flow[0].Request; return []string{r.URL, r.Name} },
			[]string{"/b", "base"}},
		{"step", Options{},
			"st: &st {get: {url: /s}}\nscenarios: [{flow: [{<<: *st}]}]\n",
			func(s *Script) any { return s.Scenarios[0].Flow[0].Request.URL }, "/s"},
		{"payload", Options{},
			"pl: &pl {path: users.csv, fields: [a]}\nconfig: {payload: {<<: *pl, fields: [id]}}\n" + mergeFlow,
			func(s *Script) any { return s.Config.Payloads[0].Fields }, []string{"id"}},
		{"plugins", Options{},
			"pg: &pg {apdex: {threshold: 100}}\nconfig: {plugins: {<<: *pg}}\n" + mergeFlow,
			func(s *Script) any { return s.Config.Plugins.ApdexThreshold }, 100 * time.Millisecond},
		{"environments", Options{Environment: "prod"},
			"envs: &envs {prod: {target: http://prod}}\nconfig: {target: http://base, environments: {<<: *envs}}\n" + mergeFlow,
			func(s *Script) any { return s.Config.Target }, "http://prod"},
		{"a quoted << is an ordinary key", Options{},
			"config: {variables: {'<<': 1}}\n" + mergeFlow,
			func(s *Script) any { return s.Config.Variables }, []Variable{{"<<", 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ParseWith("m.yml", []byte(tt.script), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, tt.got(s)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestMergeKeyErrorsNamePosition: a << that merges no mapping is refused
// where it is written; errors in merged values point at the anchor's
// text; a key written twice is still a duplicate.
func TestMergeKeyErrorsNamePosition(t *testing.T) {
	tests := []struct {
		name, script, want string
	}{
		{"scalar", "config: {phases: [{duration: 1, <<: 1}]}\n" + mergeFlow,
			`m.yml:1:37: merge key <<: expected a mapping, an alias to one, or a list of those, got "1"`},
		{"null", "config:\n  phases:\n    - duration: 1\n      <<:\n" + mergeFlow,
			`m.yml:4:10: merge key <<: expected a mapping, an alias to one, or a list of those, got nothing (null)`},
		{"alias to a scalar", "s: &s 1\nconfig: {phases: [{duration: 1, <<: *s}]}\n" + mergeFlow,
			`m.yml:2:37: merge key <<: expected a mapping, an alias to one, or a list of those, got "1"`},
		{"list item of an aliased list", "l: &l [{duration: 1}, 2]\nconfig: {phases: [{<<: *l}]}\n" + mergeFlow,
			`m.yml:2:24: merge key <<: expected a mapping, an alias to one, or a list of those, got "2"`},
		{"list in a list", "config: {phases: [{duration: 1, <<: [[]]}]}\n" + mergeFlow,
			`m.yml:1:38: merge key <<: expected a mapping, an alias to one, or a list of those, got a list`},
		{"list item", "a: &a {duration: 1}\nconfig: {phases: [{<<: [*a, x]}]}\n" + mergeFlow,
			`m.yml:2:29: merge key <<: expected a mapping, an alias to one, or a list of those, got "x"`},
		{"error in a merged value", "x: &ph {duration: ten}\nconfig: {phases: [{<<: *ph}]}\n" + mergeFlow,
			`m.yml:1:19: config.phases[0].duration: invalid duration "ten"`},
		{"explicit duplicate beside a merge", "x: &ph {duration: 1}\nconfig: {phases: [{<<: *ph, arrivalCount: 1, arrivalCount: 2}]}\n" + mergeFlow,
			`m.yml:2:46: config.phases[0]: duplicate key "arrivalCount"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantScriptError(t, "m.yml", tt.script, tt.want)
		})
	}
}
