package report

import (
	"sort"

	"github.com/surge-dev/surge/results"
)

// counterRows lists the counters the test kept itself, most first (ties
// by name): the virtual users each scenario created, the reasons tasks
// failed responses for (failures.*), the errors tasks returned
// (task_errors.*), the requests the transport sent again, expect checks,
// and a Go program's own. The summary prints some
// of them; without this table the report showed none. The results'
// counters also repeat the totals under Artillery's names (http.requests,
// http.codes.200, …), which the other tables show: what results.Counters
// derives is left out.
func counterRows(r *results.Results) []countRow {
	derived := results.Counters(r)
	own := map[string]int64{}
	for name, n := range r.Counters {
		if n -= derived[name]; n != 0 {
			own[name] = n
		}
	}
	names := mapKeys(own)
	sort.SliceStable(names, func(i, j int) bool { return own[names[i]] > own[names[j]] })
	rows := make([]countRow, len(names))
	for i, name := range names {
		rows[i] = countRow{Key: name, Count: fmtInt(own[name])}
	}
	return rows
}
