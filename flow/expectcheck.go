package flow

import (
	"sort"
	"strconv"
	"strings"

	"github.com/surge-dev/surge/expect"
	"github.com/surge-dev/surge/scenario"
)

// The expect checks are read as Artillery's plugin reads them, and what
// the two would judge differently, or never pass, is said at load.

// expectIgnored warns, once for the script, that expect checks are
// skipped without the plugin (as the ensure checks' warning says for
// ensure): Artillery skips them too, silently.
func (p *Program) expectIgnored(r *scenario.Request) {
	if r.Expect == nil || p.warnedExpect {
		return
	}
	p.warnedExpect = true
	p.warnf(r.At["expect"], "expect: the checks are skipped: the expect plugin is not enabled (add config.plugins.expect: {}), as in Artillery")
}

// expectItems warns about list items that hold several checks: Artillery
// judges one of them and ignores the rest; Surge judges them all.
func (p *Program) expectItems(r *scenario.Request) {
	list, _ := r.Expect.([]any)
	for i, e := range list {
		m, ok := e.(map[string]any)
		if !ok || len(m) < 2 {
			continue
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		p.warnf(r.At["expect"], "expect item %d holds %d checks (%s): Artillery judges only the first and ignores the others, Surge judges them all; write each as an item of its own",
			i+1, len(keys), strings.Join(keys, ", "))
	}
}

// expectValues checks the values Surge can judge at load: a status code
// that is no number can never pass (an error), and a header name with
// capitals never passes in Artillery, which looks it up as written among
// Node's lower-case names (a warning: Surge matches any case).
func (p *Program) expectValues(r *scenario.Request, specs []expect.Spec) {
	pos := r.At["expect"]
	for _, s := range specs {
		switch s.Type {
		case "statusCode", "notStatusCode":
			if bad, ok := notAStatus(s.Value); ok {
				p.errorf(pos, "expect %s: %q is not a status code (a number, or a list of them)", s.Type, bad)
			}
		case "hasHeader", "headerEquals":
			name := s.Value
			if l, ok := s.Value.([]any); ok && len(l) > 0 {
				name = l[0]
			}
			if n, ok := name.(string); ok && !strings.Contains(n, "{{") && n != strings.ToLower(n) {
				p.warnf(pos, "expect %s %q: Artillery never finds a header named with capitals (Node gives the names in lower case), so there the check always fails; Surge matches any case: write %q",
					s.Type, n, strings.ToLower(n))
			}
		}
	}
}

// notAStatus returns a static value (or list element) that is not a
// number, which Number() would turn into NaN.
func notAStatus(v any) (string, bool) {
	list, ok := v.([]any)
	if !ok {
		list = []any{v}
	}
	for _, e := range list {
		s, isText := e.(string)
		if !isText || strings.Contains(s, "{{") {
			continue
		}
		if _, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err != nil {
			return s, true
		}
	}
	return "", false
}
