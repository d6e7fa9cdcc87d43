package dashboard

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/surge-dev/surge/metrics"
)

// A run that monitors a Lambda function carries its scaling story in
// every frame, built by report/story from the run so far; a run that
// monitors nothing of the kind carries none.
func TestFramesCarryTheScalingStory(t *testing.T) {
	s, _, _ := newTestServer(t, "")
	publishLambdaRun(s)
	f := lastFrame(t, s)
	if f.Story == nil {
		t.Fatal("no story in the frame")
	}
	var ids []string
	for _, c := range f.Story.Charts {
		ids = append(ids, c.ID)
	}
	if want := "Throttled from 0:02 to 0:04"; !strings.Contains(f.Story.Sentence, want) ||
		!strings.Contains(f.Story.Sentence, "the account concurrency limit of 60 was reached") {
		t.Errorf("sentence %q", f.Story.Sentence)
	}
	if fmt.Sprint(ids) != "[load concurrency throttles]" || len(f.Story.T) != 6 {
		t.Errorf("charts %v over %d seconds", ids, len(f.Story.T))
	}

	plain, _, _ := newTestServer(t, "")
	for _, snap := range snapshots() {
		plain.Publish(snap, map[string]float64{"up": 1})
	}
	if f := lastFrame(t, plain); f.Story != nil {
		t.Errorf("a run without a scaling target has a story: %+v", f.Story)
	}
}

// publishLambdaRun publishes six seconds of invocations of a Lambda
// function whose account concurrency of 60 throttles seconds 2 and 3.
func publishLambdaRun(s *Server) { publishLambdaRunBoundFrom(s, 0) }

// publishLambdaRunBoundFrom is publishLambdaRun with a generator watch
// on every second: it keeps up, then from second boundFrom on (if not
// 0) Surge itself is the bottleneck (busy and late).
func publishLambdaRunBoundFrom(s *Server, boundFrom int) {
	t0 := time.Unix(1700000000, 0)
	rec := metrics.NewRecorder([]string{"POST /invoke"}, 1, t0)
	throttled := 0.0
	for sec := 1; sec <= 6; sec++ {
		refused := 0
		if sec == 3 || sec == 4 {
			refused = 40
		}
		for i := range 100 {
			smp := metrics.Sample{Latency: time.Millisecond, Status: 200}
			if i < refused {
				smp.Status, smp.Failed = 429, true
			}
			rec.Record(uint64(i), &smp)
		}
		throttled += float64(refused)
		snap := rec.Flush(t0.Add(time.Duration(sec)*time.Second), sec == 6)
		snap.Interval.Generator = metrics.Generator{Arrivals: 100, Cores: 1, CPU: 0.05, Demand: 0.05,
			LagP99: 100 * time.Microsecond, LagMax: time.Millisecond}
		if boundFrom > 0 && sec >= boundFrom {
			snap.Interval.Generator = metrics.Generator{Arrivals: 100, Cores: 1, CPU: 0.99, Demand: 1,
				LagP99: 900 * time.Millisecond, LagMax: time.Second}
		}
		s.Publish(snap, map[string]float64{
			"surge_lambda_concurrent_executions": 60,
			"surge_lambda_concurrency_limit":     60,
			`surge_lambda_throttles_total{cause="account_concurrency",reason="ConcurrentInvocationLimitExceeded"}`: throttled,
		})
	}
}
