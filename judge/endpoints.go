package judge

import (
	"fmt"
	"strings"

	"github.com/surge-dev/surge/scenario"
)

// listedEndpoints is how many of the test's endpoints an error names
// before it says how many more there are: a script of hundreds of
// endpoints should not fill the terminal.
const listedEndpoints = 10

// CheckEndpoints reports the first rule that watches an endpoint the test
// does not record requests under. Such a rule never sees a request: it
// would end as "no data" and pass a check its author meant to judge, the
// usual cause being a typo or a name changed in the script. names are the
// test's endpoints as it records them; call it before any load.
func (r Rules) CheckEndpoints(names []string) error {
	known := make(map[string]bool, len(names))
	for _, n := range names {
		known[n] = true
	}
	for _, t := range r.Thresholds {
		if e := t.Metric.Endpoint; e != "" && !known[e] {
			return fmt.Errorf("threshold %q: %s", t.Source, unknownEndpoint(e, names))
		}
	}
	for _, a := range r.Alerts {
		if e := a.Metric.Endpoint; e != "" && !a.Metric.Series && !known[e] {
			return fmt.Errorf("alert %q: %s", a.Name, unknownEndpoint(e, names))
		}
	}
	return nil
}

// unknownEndpoint says that e is not one of names, suggests the nearest
// when it looks like a typo, and lists them.
func unknownEndpoint(e string, names []string) string {
	msg := fmt.Sprintf("the test has no endpoint %q", e)
	if s := scenario.Suggest(e, names); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	quoted := make([]string, 0, listedEndpoints)
	for _, n := range names[:min(len(names), listedEndpoints)] {
		quoted = append(quoted, fmt.Sprintf("%q", n))
	}
	list := strings.Join(quoted, ", ")
	if more := len(names) - len(quoted); more > 0 {
		list += fmt.Sprintf(" and %d more", more)
	}
	return msg + "; its endpoints (a request's name, or its method and URL as the script writes them): " + list
}
