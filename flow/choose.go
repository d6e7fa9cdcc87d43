package flow

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/surge-dev/surge/scenario"
)

// chosenScenario is the index of the scenario --scenario-name names, or
// -1 without it. As in Artillery, a name matches when it equals the flag
// or the flag, read as a regular expression, matches it; exactly one
// scenario must match. (Artillery finds out at the first arrival; Surge
// before the test.)
func (p *Program) chosenScenario() (int, error) {
	name := p.opts.ScenarioName
	if name == "" {
		return -1, nil
	}
	re, reErr := regexp.Compile(name)
	var found []int
	var names []string
	for i, sc := range p.script.Scenarios {
		if sc.Name == name || (reErr == nil && sc.Name != "" && re.MatchString(sc.Name)) {
			found = append(found, i)
			names = append(names, sc.Name)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return -1, &scenario.Error{File: p.script.File, Msg: fmt.Sprintf(
			"--scenario-name %q: no scenario has that name (names: %s)", name, strings.Join(p.scenarioNames(), ", "))}
	}
	return -1, &scenario.Error{File: p.script.File, Msg: fmt.Sprintf(
		"--scenario-name %q matches %d scenarios (%s): give one name", name, len(found), strings.Join(names, ", "))}
}

func (p *Program) scenarioNames() []string {
	var out []string
	for i, sc := range p.script.Scenarios {
		if sc.Name == "" {
			out = append(out, fmt.Sprintf("#%d has none", i))
			continue
		}
		out = append(out, sc.Name)
	}
	return out
}
