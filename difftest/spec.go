package difftest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// Spec says how to run one script of the suite and what in its output is
// random. It sits beside the script as <name>.json.
type Spec struct {
	// Args are extra run arguments placed before the script (-e, -v,
	// --overrides, --config, -p); they run with the scripts folder as
	// working directory.
	Args []string `json:"args"`
	// Env is set in the environment of both tools ($processEnvironment).
	Env map[string]string `json:"env"`
	// Masks hide random values; a mask with a group must hide the same
	// value throughout one VU (a per-VU pick).
	Masks []Mask `json:"masks"`
	// CounterMerge renames report counters, e.g. to merge the per-name
	// counters of randomly weighted scenarios.
	CounterMerge map[string]string `json:"counter_merge"`
	// PhaseGapS groups VU start times into phases split by pauses of at
	// least this many seconds (0: no per-phase counts).
	PhaseGapS float64 `json:"phase_gap_s"`
	// SurgeScript, when set, is the file Surge runs in place of the
	// script: the same test written with a Surge feature where Artillery
	// needs JavaScript (whileTrue as an expression rather than a
	// processor function). Both must send the same requests.
	SurgeScript string `json:"surge_script"`
}

// Mask is a regular expression whose matches become a placeholder.
type Mask struct {
	Re    string `json:"re"`
	As    string `json:"as"`
	Group string `json:"group"`
}

type mask struct {
	re    *regexp.Regexp
	as    string
	group string
}

func (s Spec) compiledMasks() []mask {
	out := make([]mask, 0, len(s.Masks))
	for _, m := range s.Masks {
		out = append(out, mask{re: regexp.MustCompile(m.Re), as: m.As, group: m.Group})
	}
	return out
}

// Case is one script of the suite.
type Case struct {
	Name   string
	Script string // path of the script
	Spec   Spec
}

// Cases lists the scripts of a folder (*.yml, *.yaml, *.json that have a
// <name>.spec.json beside them).
func Cases(dir string) ([]Case, error) {
	specs, err := filepath.Glob(filepath.Join(dir, "*.spec.json"))
	if err != nil {
		return nil, err
	}
	sort.Strings(specs)
	var out []Case
	for _, sp := range specs {
		name := strings.TrimSuffix(filepath.Base(sp), ".spec.json")
		c, err := loadCase(dir, name, sp)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

func loadCase(dir, name, specPath string) (Case, error) {
	c := Case{Name: name}
	data, err := os.ReadFile(specPath)
	if err != nil {
		return c, err
	}
	if err := json.Unmarshal(data, &c.Spec); err != nil {
		return c, fmt.Errorf("%s: %w", specPath, err)
	}
	for _, ext := range []string{".yml", ".yaml", ".json"} {
		if p := filepath.Join(dir, name+ext); fileExists(p) {
			c.Script = p
			return c, nil
		}
	}
	return c, fmt.Errorf("%s: no script %s.yml beside it", specPath, name)
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// GoldenPath is where a case's golden summary lives.
func GoldenPath(goldenDir, name string) string { return filepath.Join(goldenDir, name+".json") }

// WriteGolden stores a summary as indented JSON.
func WriteGolden(path string, s Summary) error {
	data, err := json.MarshalIndent(s, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

// ReadGolden loads a golden summary.
func ReadGolden(path string) (Summary, error) {
	var s Summary
	data, err := os.ReadFile(path)
	if err != nil {
		return s, err
	}
	return s, json.Unmarshal(data, &s)
}

// Canonical re-encodes a summary so that two summaries compare as JSON
// values (map order, number forms).
func Canonical(s Summary) (any, error) {
	data, err := json.Marshal(s)
	if err != nil {
		return nil, err
	}
	var v any
	return v, json.Unmarshal(data, &v)
}

func matches(re, name string) bool {
	ok, err := regexp.MatchString(re, name)
	return err == nil && ok
}
