package judge

import (
	"testing"

	"github.com/surge-dev/surge/series"
)

// Replaying a finished run's seconds gives the outcome the live judge
// reached second by second: the same verdicts, the same abort.
func TestReplayEqualsTheLiveJudge(t *testing.T) {
	rules := Rules{Alerts: alerts(t, p99Abort), Thresholds: thresholds(t, "p(99)<100ms", "failure_rate<5%")}
	var secs []series.Second
	for i := range 10 {
		ms, failed := 5.0, int64(0)
		if i >= 6 {
			ms, failed = 250, 20
		}
		secs = append(secs, second(i, 100, failed, ms))
	}
	live, err := New(rules)
	if err != nil {
		t.Fatal(err)
	}
	feed(t, live, secs)
	want, _ := live.Outcome()
	got, err := Replay(rules, secs)
	if err != nil {
		t.Fatal(err)
	}
	if got.Abort == nil || got.Abort.By != want.Abort.By || got.Abort.Elapsed != want.Abort.Elapsed {
		t.Fatalf("abort %+v, live %+v", got.Abort, want.Abort)
	}
	for i := range want.Thresholds {
		if got.Thresholds[i].Passed != want.Thresholds[i].Passed || got.Thresholds[i].Passed {
			t.Errorf("threshold %d: replayed %+v, live %+v (both must fail)", i, got.Thresholds[i], want.Thresholds[i])
		}
	}
	if got.Alerts[0].Alarms != 1 || !got.Failed() {
		t.Errorf("alert %+v", got.Alerts[0])
	}
	if _, err := Replay(Rules{Alerts: append(rules.Alerts, rules.Alerts...)}, secs); err == nil {
		t.Error("two alerts of one name replayed")
	}
}
