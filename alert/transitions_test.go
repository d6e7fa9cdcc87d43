package alert

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"
)

// short writes a state as the tables below do: I, O, A.
func short(s State) string {
	return map[State]string{StateInsufficientData: "I", StateOK: "O", StateAlarm: "A"}[s]
}

// run feeds an alarm one datapoint per period, written "-" (none),
// "V" (the value) or "V@N" (the value from N samples; 5000 otherwise),
// advances it past each period and returns its changes of state as
// "pK F>T": at the end of period K (from 0), from F to T.
func run(t *testing.T, r Rule, points string) string {
	t.Helper()
	a, err := NewAlarm(r, t0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for k, f := range strings.Fields(points) {
		start := t0.Add(time.Duration(k) * r.Period)
		if f != "-" {
			value, samples, ok := strings.Cut(f, "@")
			v, err := strconv.ParseFloat(value, 64)
			if err != nil {
				t.Fatalf("%q: %v", f, err)
			}
			n := int64(5000)
			if ok {
				n, _ = strconv.ParseInt(samples, 10, 64)
			}
			if err := a.Add(Datapoint{Time: start, Value: v, Samples: n}); err != nil {
				t.Fatal(err)
			}
		}
		for _, tr := range a.Advance(start.Add(r.Period)) {
			if want := start.Add(r.Period); !tr.At.Equal(want) {
				t.Fatalf("period %d: a transition at %v, want the period's end %v", k, tr.At.Sub(t0), want.Sub(t0))
			}
			out = append(out, fmt.Sprintf("p%d %s>%s", k, short(tr.From), short(tr.To)))
		}
	}
	return strings.Join(out, ", ")
}

// Alarms followed period by period, from their start in
// INSUFFICIENT_DATA, through the cases the documentation's tables (one
// evaluation each, TestEvaluateMatchesCloudWatchTables) leave to be
// derived: the first periods, the comparisons at the threshold itself,
// a metric that stops reporting under each treatment of missing data,
// M out of N with gaps, a longer evaluation range, and the low-sample
// rule holding a state. Every expectation follows from the rules of
// docs/alerts.md ("How an alarm decides"), worked out in the comments.
func TestAlarmTransitionsFromItsStart(t *testing.T) {
	for _, tc := range transitionsFromTheStart {
		if got := run(t, tc.rule, tc.points); got != tc.want {
			t.Errorf("%s: %q gives %q, want %q", tc.name, tc.points, got, tc.want)
		}
	}
}

// rule is a 10-s alarm on the average: N periods, M to alarm, an
// evaluation range (0: the default).
func rule(n, m, rng int, c Comparison, threshold float64, treat MissingData) Rule {
	return Rule{Period: 10 * time.Second, EvaluationPeriods: n, DatapointsToAlarm: m, EvaluationRange: rng,
		Comparison: c, Threshold: threshold, TreatMissing: treat}
}

// lowSampleP99 is a p99 alarm that ignores low samples.
func lowSampleP99() Rule {
	r := rule(1, 1, 0, GreaterThan, 300, Missing)
	r.Statistic, r.LowSample = Statistic{Kind: Percentile, P: 99}, IgnoreLowSample
	return r
}

// transitionsFromTheStart: each case's datapoints (period by period, -
// for none, v@n for a value from n samples) and the transitions they
// give ("pK X>Y": at period K, from state X to Y).
var transitionsFromTheStart = []struct {
	name   string
	rule   Rule
	points string
	want   string
}{
	// A new alarm without data: missing and ignore wait in
	// INSUFFICIENT_DATA (no change, no action); breaching and
	// notBreaching decide at the end of the first period.
	{"no data, missing", rule(3, 3, 0, GreaterThan, 1, Missing), "- - -", ""},
	{"no data, ignore", rule(3, 3, 0, GreaterThan, 1, Ignore), "- - -", ""},
	{"no data, breaching", rule(3, 3, 0, GreaterThan, 1, Breaching), "- - -", "p0 I>A"},
	{"no data, notBreaching", rule(3, 3, 0, GreaterThan, 1, NotBreaching), "- - -", "p0 I>O"},
	// The first datapoint within the threshold is OK at once, under
	// every treatment; a first breaching one waits under missing
	// and ignore (it may be followed by one within).
	{"first within, missing", rule(3, 3, 0, GreaterThan, 1, Missing), "0", "p0 I>O"},
	{"first within, ignore", rule(3, 3, 0, GreaterThan, 1, Ignore), "0", "p0 I>O"},
	{"first breaching, missing", rule(3, 3, 0, GreaterThan, 1, Missing), "5 5 5", "p2 I>A"},
	{"first breaching, ignore", rule(3, 3, 0, GreaterThan, 1, Ignore), "5 5 5", "p2 I>A"},
	// M of N fills with breaching from the start: [- - - - 0] is one
	// real within and two breaching, 2 of 3 (the table's "- - - - 0").
	{"2 of 3 breaching, first within", rule(3, 2, 0, GreaterThan, 1, Breaching), "0 0", "p0 I>A, p1 A>O"},

	// The four comparisons at the threshold itself (100), below it,
	// above it.
	{">= at the threshold", rule(1, 1, 0, GreaterThanOrEqual, 100, Missing), "100 99 101", "p0 I>A, p1 A>O, p2 O>A"},
	{"> at the threshold", rule(1, 1, 0, GreaterThan, 100, Missing), "100 99 101", "p0 I>O, p2 O>A"},
	{"< at the threshold", rule(1, 1, 0, LessThan, 100, Missing), "100 99 101", "p0 I>O, p1 O>A, p2 A>O"},
	{"<= at the threshold", rule(1, 1, 0, LessThanOrEqual, 100, Missing), "100 99 101", "p0 I>A, p2 A>O"},
	{"negative threshold", rule(1, 1, 0, LessThan, -1, Missing), "-1 -1.5 0", "p0 I>O, p1 O>A, p2 A>O"},

	// A metric that stops reporting after three breaching periods
	// (N = 3, M = 3, range 5).
	// missing: ALARM while real datapoints are in the range (the
	// newest N, then the premature rule: all real ones breach and the
	// oldest is at least M periods old), INSUFFICIENT_DATA once none
	// is left: CloudWatch's "re-evaluate the last set of data points
	// for a period of time after the metric has stopped flowing".
	{"stops breaching, missing", rule(3, 3, 0, GreaterThan, 1, Missing), "5 5 5 - - - - -", "p2 I>A, p7 A>I"},
	// ignore: the same, but no datapoint keeps the state.
	{"stops breaching, ignore", rule(3, 3, 0, GreaterThan, 1, Ignore), "5 5 5 - - - - -", "p2 I>A"},
	// notBreaching: fewer than N real ones are filled within: [X X - - -]
	// is 2 of 3 at p5.
	{"stops breaching, notBreaching", rule(3, 3, 0, GreaterThan, 1, NotBreaching), "5 5 5 - - - - -", "p0 I>O, p2 O>A, p5 A>O"},
	{"stops breaching, breaching", rule(3, 3, 0, GreaterThan, 1, Breaching), "5 5 5 - - - - -", "p0 I>A"},
	// A metric within the threshold that stops, 2 of 3, breaching:
	// [- - - - 0] is ALARM, [- - - 0 0] OK, and [0 - - - -] (one real
	// left, two filled) ALARM again, four periods after the last datapoint.
	{"stops within, breaching", rule(3, 2, 0, GreaterThan, 1, Breaching), "0 0 0 - - - -", "p0 I>A, p1 A>O, p6 O>A"},
	// Traffic that stops, as an alarm on rps < 10 with breaching sees
	// it (N = 2, M = 2, range 4): ALARM once no real datapoint is
	// left, at p5, not at the first silent period.
	{"rps < 10 when traffic stops", rule(2, 2, 4, LessThan, 10, Breaching), "50 50 - - - -", "p0 I>O, p5 O>A"},

	// A lone breaching datapoint after an OK (N = 3, M = 3): missing
	// waits in INSUFFICIENT_DATA, then ALARMs once it is M periods old
	// (the premature rule), and a datapoint within returns OK; ignore
	// keeps OK throughout.
	{"lone breach, missing", rule(3, 3, 0, GreaterThan, 1, Missing), "0 - - - - 5 - - 0", "p0 I>O, p5 O>I, p7 I>A, p8 A>O"},
	{"lone breach, ignore", rule(3, 3, 0, GreaterThan, 1, Ignore), "0 - - - - 5 - - 0", "p0 I>O"},

	// M of N need not be consecutive (N = 5, M = 3): [5 0 5 0 5] is
	// ALARM, [0 5 0 5 0] OK again.
	{"3 of 5 apart", rule(5, 3, 0, GreaterThan, 1, Missing), "5 0 5 0 5 0 0 0", "p1 I>O, p4 O>A, p5 A>O"},

	// The evaluation range decides how long old real datapoints count
	// (N = 2, M = 2, missing): with a range of 8 two breaching ones
	// hold ALARM until a datapoint within the threshold arrives; with
	// the default N+2 = 4 they leave the range first.
	{"range 8", rule(2, 2, 8, GreaterThan, 1, Missing), "5 5 - - - - 0", "p1 I>A, p6 A>O"},
	{"range 4", rule(2, 2, 0, GreaterThan, 1, Missing), "5 5 - - - - 0", "p1 I>A, p5 A>I, p6 I>O"},

	// A p99 from fewer than 1,000 values keeps the state, ALARM as OK.
	{"low sample keeps ALARM", lowSampleP99(), "900 100@10 100", "p0 I>A, p2 A>O"},
	{"low sample keeps OK", lowSampleP99(), "100 900@999 900@1000", "p0 I>O, p2 O>A"},
	{"low sample first", lowSampleP99(), "900@10 900", "p1 I>A"},
}
