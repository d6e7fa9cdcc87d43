package ci

import (
	"strings"

	"github.com/surge-dev/surge/compare"
)

// CompareReport is a comparison's JUnit report: a suite per head against
// the base, a case per row. A regressed row fails unless failOn is
// "none"; an inconclusive one fails with failOn "inconclusive" and is
// skipped otherwise, so the failures are what sets the exit code.
func CompareReport(reports []*compare.Report, failOn string) Report {
	rep := Report{Name: "surge compare"}
	for _, r := range reports {
		s := Suite{Name: "compare " + r.Base.Label + " vs " + r.Head.Label, Properties: [][2]string{
			{"base", r.Base.Label}, {"head", r.Head.Label}, {"window", r.Window}}}
		if r.Window == "" {
			s.Properties = s.Properties[:2]
		}
		for _, row := range r.Rows {
			s.Cases = append(s.Cases, compareCase(row, failOn))
		}
		rep.Suites = append(rep.Suites, s)
	}
	return rep
}

func compareCase(row compare.Row, failOn string) Case {
	c := Case{Name: row.Scope + " " + row.Metric.String(), Classname: "surge.compare." + classPart(row.Scope), Message: row.Line()}
	switch row.Verdict {
	case compare.Regressed:
		c.Failed, c.Type = failOn != "none", "Regressed"
	case compare.Inconclusive:
		c.Failed, c.Skipped, c.Type = failOn == "inconclusive", failOn != "inconclusive", "Inconclusive"
	}
	return c
}

// classPart is a scope as the last part of a class name. Jenkins reads a
// class name's dots as its package path and shows what follows the last
// one as the class: "surge.compare.GET /v1.2/items.json" would be class
// "json" of package "surge.compare.GET /v1.2/items". The test case's name
// keeps the scope as it is.
func classPart(scope string) string { return strings.ReplaceAll(scope, ".", "_") }
