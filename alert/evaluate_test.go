package alert

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// keep marks the documentation's "Retain current state".
const keep State = -1

// goldenRow is one row of the CloudWatch documentation's worked tables:
// the five most recent datapoints (oldest first) and the state for each
// treatment of missing data, in the table's column order.
type goldenRow struct {
	points                                   string
	missing, ignore, breaching, notBreaching State
}

// The tables of "How alarm state is evaluated when data is missing" in
// the Amazon CloudWatch User Guide (awsdocs/amazon-cloudwatch-user-guide,
// doc_source/AlarmThatSendsEmail.md): the last revision before the
// repository was archived (commit b355497, 2023-05-18), plus the rows
// that earlier revisions had and it dropped (commit 72266c7, 2019-01-16).
// Both tables use N = 3 and an evaluation range of 5.
var golden3of3 = []goldenRow{
	{"0 - X - X", StateOK, StateOK, StateOK, StateOK},
	{"0 - - - -", StateOK, StateOK, StateOK, StateOK},
	{"- - - - -", StateInsufficientData, keep, StateAlarm, StateOK},
	{"0 X X - X", StateAlarm, StateAlarm, StateAlarm, StateAlarm},
	{"- - X - -", StateAlarm, keep, StateAlarm, StateOK},
	// 2019 rows:
	{"- - - - X", StateInsufficientData, keep, StateAlarm, StateOK},
	{"X - - - -", StateAlarm, keep, StateAlarm, StateOK},
}

var golden2of3 = []goldenRow{
	{"0 - X - X", StateAlarm, StateAlarm, StateAlarm, StateAlarm},
	{"0 0 X 0 X", StateAlarm, StateAlarm, StateAlarm, StateAlarm},
	{"0 - X - -", StateOK, StateOK, StateAlarm, StateOK},
	{"- - - - 0", StateOK, StateOK, StateAlarm, StateOK},
	{"- - - X -", StateAlarm, keep, StateAlarm, StateOK},
	// 2019 row:
	{"- - - - X", StateInsufficientData, keep, StateAlarm, StateOK},
}

func parsePoints(t *testing.T, s string) []Point {
	t.Helper()
	var out []Point
	for _, f := range strings.Fields(s) {
		switch f {
		case "-":
			out = append(out, NoData)
		case "0":
			out = append(out, Within)
		case "X":
			out = append(out, Breach)
		default:
			t.Fatalf("bad point %q", f)
		}
	}
	return out
}

func TestEvaluateMatchesCloudWatchTables(t *testing.T) {
	for _, tc := range []struct {
		m    int
		rows []goldenRow
	}{{3, golden3of3}, {2, golden2of3}} {
		for _, row := range tc.rows {
			want := map[MissingData]State{Missing: row.missing, Ignore: row.ignore, Breaching: row.breaching, NotBreaching: row.notBreaching}
			for treat, w := range want {
				r := Rule{Period: 300e9, EvaluationPeriods: 3, DatapointsToAlarm: tc.m, EvaluationRange: 5,
					Comparison: GreaterThan, TreatMissing: treat}
				// "Retain current state" must hold from every state.
				for _, current := range []State{StateInsufficientData, StateOK, StateAlarm} {
					exp := w
					if w == keep {
						exp = current
					}
					got := r.Evaluate(parsePoints(t, row.points), current)
					if got.State != exp {
						t.Errorf("%d of 3, %q, %v, from %v: got %v, want %v (%+v)",
							tc.m, row.points, treat, current, got.State, exp, got)
					}
				}
			}
		}
	}
}

// Without missing data the rule is plain M out of the newest N.
func TestEvaluateWithoutMissingDataIsMOfN(t *testing.T) {
	for bits := range 1 << 6 {
		points := make([]Point, 6)
		for i := range points {
			points[i] = Within
			if bits&(1<<i) != 0 {
				points[i] = Breach
			}
		}
		for m := 1; m <= 4; m++ {
			r := Rule{EvaluationPeriods: 4, DatapointsToAlarm: m, EvaluationRange: 6, Comparison: GreaterThan}
			breaching := 0
			for _, p := range points[2:] {
				if p == Breach {
					breaching++
				}
			}
			want := StateOK
			if breaching >= m {
				want = StateAlarm
			}
			for _, treat := range []MissingData{Missing, Ignore, Breaching, NotBreaching} {
				r.TreatMissing = treat
				if got := r.Evaluate(points, StateInsufficientData); got.State != want || got.Filled != 0 || got.Evaluated != 4 {
					t.Fatalf("%v, %d of 4, %v: got %+v, want %v", points, m, treat, got, want)
				}
			}
		}
	}
}

// Properties that hold over every range of 5 and every M of N = 3:
// breaching is never kinder than notBreaching, ignore either agrees with
// missing or keeps the state, and filled datapoints make up exactly the
// real ones short of N.
func TestEvaluateProperties(t *testing.T) {
	rank := map[State]int{StateOK: 0, StateInsufficientData: 1, StateAlarm: 2}
	for code := range 243 { // 3^5 ranges
		points := make([]Point, 5)
		c := code
		for i := range points {
			points[i] = Point(c % 3)
			c /= 3
		}
		present := len(presentPoints(points))
		for m := 1; m <= 3; m++ {
			at := func(treat MissingData, current State) Decision {
				r := Rule{EvaluationPeriods: 3, DatapointsToAlarm: m, EvaluationRange: 5, Comparison: GreaterThan, TreatMissing: treat}
				return r.Evaluate(points, current)
			}
			name := fmt.Sprintf("%v M=%d", points, m)
			if rank[at(Breaching, StateOK).State] < rank[at(NotBreaching, StateOK).State] {
				t.Errorf("%s: breaching gives %v, notBreaching %v", name, at(Breaching, StateOK).State, at(NotBreaching, StateOK).State)
			}
			for _, current := range []State{StateInsufficientData, StateOK, StateAlarm} {
				ig, mi := at(Ignore, current), at(Missing, current)
				if ig.State != mi.State && ig.State != current {
					t.Errorf("%s from %v: ignore gives %v, missing %v", name, current, ig.State, mi.State)
				}
			}
			if f := at(Breaching, StateOK).Filled; f != max(0, 3-present) {
				t.Errorf("%s: filled %d with %d real datapoints", name, f, present)
			}
			if at(Missing, StateOK).Filled != 0 {
				t.Errorf("%s: missing filled datapoints", name)
			}
		}
	}
}

// docs/alerts.md shows the same tables, row for row.
func TestDocsShowTheGoldenTables(t *testing.T) {
	data, err := os.ReadFile("../docs/alerts.md")
	if err != nil {
		t.Fatal(err)
	}
	_, tables, _ := strings.Cut(string(data), "### The documentation's worked tables")
	names := map[string]State{"OK": StateOK, "ALARM": StateAlarm, "INSUFFICIENT_DATA": StateInsufficientData, "keep": keep}
	var rows []goldenRow
	for _, line := range strings.Split(tables, "\n") {
		cells := strings.Split(line, "|")
		if len(cells) != 7 || !strings.HasPrefix(strings.TrimSpace(cells[1]), "`") {
			continue
		}
		points, _, _ := strings.Cut(strings.Trim(strings.TrimSpace(cells[1]), "`"), "`")
		var st [4]State
		for i := range st {
			s, ok := names[strings.TrimSpace(cells[i+2])]
			if !ok {
				t.Fatalf("docs: unknown state in %q", line)
			}
			st[i] = s
		}
		rows = append(rows, goldenRow{points, st[0], st[1], st[2], st[3]})
	}
	want := append(append([]goldenRow{}, golden3of3...), golden2of3...)
	if fmt.Sprint(rows) != fmt.Sprint(want) {
		t.Errorf("docs/alerts.md tables:\n%v\nthe tests':\n%v", rows, want)
	}
}
