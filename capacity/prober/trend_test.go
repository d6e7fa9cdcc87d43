package prober

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/surge-dev/surge/capacity"
	"github.com/surge-dev/surge/session"
)

// queueShedding is a target that sheds load the way an overloaded
// service does while its queue grows: every request but one in 200 gets
// a 503 at once, and that one is held longer the longer the target has
// run (20 ms, and 100 ms more each second), as a request queued behind a
// backlog that keeps growing is. At 300 req/s that is 1.5 successes a
// second, 0.5 % of the requests: the p99 of every request is a fast
// failure's in every second.
func queueShedding(t *testing.T) *httptest.Server {
	var n atomic.Int64
	var once sync.Once
	var start time.Time
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		once.Do(func() { start = time.Now() })
		if n.Add(1)%200 != 0 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		time.Sleep(20*time.Millisecond + time.Since(start)/10)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// Against a target that sheds load with instant 503s while its
// successes slow down, every request's latency is flat and the queue
// shows only in the successes': a probe judged on ok_p99 reads its trend
// from them and fails, queue growing, and says so in the table, the
// summary and the JSON; the same seconds judged on every request's p99
// see no trend (what the check read before). The objective itself holds
// (the successes stay under 5 s): the trend alone fails the probe. Seven
// measured seconds, each with a success or two: MinTrendSeconds is six.
func TestRunReadsTheQueueInTheSuccesses(t *testing.T) {
	t.Parallel()
	srv := queueShedding(t)
	test, err := session.OneRequest("GET", srv.URL+"/", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	slo, err := capacity.ParseSLO("ok_p99<5s")
	if err != nil {
		t.Fatal(err)
	}
	o := Options{Search: capacity.Config{SLO: slo, Start: 300, Max: 300, Extensions: -1, Confirmations: -1, Seed: 1,
		Generator: selfWatchOff}, Probe: 7 * time.Second}
	res, err := Run(context.Background(), test, o)
	if err != nil || len(res.Records) != 1 {
		t.Fatalf("%v, %d probes", err, len(res.Records))
	}
	text := Text(res)
	t.Logf("\n%s", text)
	rec := res.Records[0]
	j := rec.Judgement
	if len(j.Trends) != 1 || !j.Trends[0].OK || !j.Trends[0].Up() || !slices.Contains(j.Reasons, capacity.Queueing) {
		t.Fatalf("trends %+v, probe %v %v: want the successes' trend, rising, and FAIL (queue growing)", j.Trends, j.Verdict, j.Reasons)
	}
	if e := j.Estimates[0]; e.Verdict == capacity.Fail {
		t.Errorf("ok_p99 %v at %g ms: want it to hold, so that the trend is what failed", e.Verdict, e.Value)
	}
	plain, _ := capacity.ParseSLO("p99<5s")
	every := capacity.Judge(capacity.Config{SLO: plain}, rec.Load, rec.Seconds, rec.Offered, rec.Generator)
	if len(every.Trends) != 1 || every.Trends[0].OK || every.QueueGrowing() {
		t.Errorf("every request's trend %+v: want it flat, the failures' latency", every.Trends)
	}
	for _, want := range []string{"ok trend", "rising", "FAIL (queue growing)",
		"Queue trend:", "the p50 and p99 of the requests that did not fail, second by second"} {
		if !strings.Contains(text, want) {
			t.Errorf("the text lacks %q", want)
		}
	}
	doc := NewDocument(res, o).Probes[0]
	if len(doc.Trends) != 1 || doc.Trends[0].Latency != "ok" || !doc.Trends[0].Up || !doc.Trends[0].Tested || !doc.P99Trend.Up {
		t.Errorf("document: trends %+v, p99_trend %+v", doc.Trends, doc.P99Trend)
	}
}
