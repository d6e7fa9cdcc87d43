package session

import (
	"context"
	"errors"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/surge-dev/surge/internal/freeaddr"

	"github.com/surge-dev/surge/dashboard"
	"github.com/surge-dev/surge/results"
	"github.com/surge-dev/surge/schedule"
)

func TestRunWithDashboardIsSteeredAndStoppedFromThePage(t *testing.T) {
	srv := newRecordingServer(t)
	addr := freeaddr.Loopback(t)
	var notices syncBuffer
	type outcome struct {
		res Result
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		res, err := Run(context.Background(), getTest(t, srv.URL, 20, time.Minute), results.Test{Target: srv.URL},
			Options{Dashboard: Dashboard{Addr: addr}, Notices: &notices})
		done <- outcome{res, err}
	}()
	var st map[string]any
	waitFor(t, 10*time.Second, "the dashboard", func() bool {
		_, st = call(t, "GET", addr, "/api/state", "")
		return st["running"] == true
	})
	if st["model"] != "open" || st["rate"] != 20.0 || st["host"] != srv.URL {
		t.Fatalf("state %v", st)
	}
	if code, v := call(t, "POST", addr, "/api/start", "{}"); code != http.StatusConflict {
		t.Fatalf("start on an attached dashboard: %d %v", code, v)
	}
	if code, v := call(t, "POST", addr, "/api/load", `{"rate": 50}`); code != http.StatusOK || v["rate"] != 50.0 {
		t.Fatalf("set rate: %d %v", code, v)
	}
	waitFor(t, 10*time.Second, "requests", func() bool { return len(srv.requests()) > 0 })
	call(t, "POST", addr, "/api/stop", "{}")
	select {
	case o := <-done:
		if o.err != nil || !o.res.Interrupted || o.res.Results.Aggregate.Requests == 0 {
			t.Fatalf("run ended with %v, %+v", o.err, o.res)
		}
		// The results say when the page changed the load, and to what.
		r := o.res.Results
		if len(r.LoadChanges) != 1 {
			t.Fatalf("load changes %+v, want the page's one", r.LoadChanges)
		}
		c := r.LoadChanges[0]
		// (The page may steer before the first arrival: then T is 0.)
		if c.By != "dashboard" || c.Model != "open" || c.Rate != 50 || c.T < 0 || c.T > r.Test.DurationS ||
			math.Abs(max(0, c.At.Sub(r.Test.Started).Seconds())-c.T) > 1e-6 {
			t.Fatalf("load change %+v in a test started %v, %.3fs long", c, r.Test.Started, r.Test.DurationS)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the page's stop did not end the run")
	}
	if !strings.Contains(notices.String(), "dashboard: http://"+addr+"/") {
		t.Fatalf("notices %q", notices.String())
	}
}

func TestRunWithATakenDashboardPortIsNotAnInputError(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	srv := newRecordingServer(t)
	_, err = Run(context.Background(), getTest(t, srv.URL, 10, time.Second), results.Test{},
		Options{Dashboard: Dashboard{Addr: l.Addr().String()}})
	var input *InputError
	if err == nil || errors.As(err, &input) || !strings.Contains(err.Error(), "listen") || len(srv.requests()) != 0 {
		t.Fatalf("error %v with %d requests sent", err, len(srv.requests()))
	}
}

func TestLiveWithoutABuilderStartsNothing(t *testing.T) {
	live := NewLive(LiveConfig{})
	if err := live.Start(dashboard.StartRequest{Rate: 5}); err != errAttached {
		t.Fatalf("Start without a builder: %v", err)
	}
	live.Stop() // nothing to stop: must not block or panic
	live.Wait()
}

// pageLive is a Live whose page tests GET srv.
func pageLive(srv string, log *syncBuffer) *Live {
	return NewLive(LiveConfig{Dashboard: dashboard.Config{Target: srv}, Build: scriptBuilder(nil, srv), ErrorLog: log})
}

func TestLiveRunsPageTestsOneAtATimeAndSwitchesModels(t *testing.T) {
	srv := newRecordingServer(t)
	live := pageLive(srv.URL, nil)
	if err := live.SetLoad(dashboard.LoadRequest{Rate: ptr(5.0)}); err == nil {
		t.Fatal("a load was set with no test running")
	}
	if err := live.Start(dashboard.StartRequest{Users: 2, Duration: "1m"}); err != nil {
		t.Fatal(err)
	}
	defer func() { live.Stop(); live.Wait() }()
	if st := live.State(); !st.Running || st.Model != "closed" || st.Users != 2 || st.Host != srv.URL {
		t.Fatalf("state %+v", st)
	}
	if err := live.Start(dashboard.StartRequest{Rate: 5}); err == nil || !strings.Contains(err.Error(), "already running") {
		t.Fatalf("second start: %v", err)
	}
	for _, bad := range []dashboard.LoadRequest{{Rate: ptr(5.0), Users: ptr(int64(1))}, {Rate: ptr(5.0), SpawnRate: ptr(1.0)}} {
		if err := live.SetLoad(bad); err == nil {
			t.Fatalf("SetLoad(%+v) accepted", bad)
		}
	}
	if err := live.SetLoad(dashboard.LoadRequest{Rate: ptr(30.0)}); err != nil {
		t.Fatal(err)
	}
	if st := live.State(); st.Model != "open" || st.Rate != 30 {
		t.Fatalf("after a rate: %+v", st)
	}
	if err := live.SetLoad(dashboard.LoadRequest{SpawnRate: ptr(2.0)}); err == nil {
		t.Fatal("a spawn rate alone was accepted in the open model")
	}
	if err := live.SetLoad(dashboard.LoadRequest{Users: ptr(int64(1))}); err != nil {
		t.Fatal(err)
	}
	if st := live.State(); st.Model != "closed" || st.Users != 1 {
		t.Fatalf("after users: %+v", st)
	}
	waitFor(t, 10*time.Second, "requests", func() bool { return len(srv.requests()) > 0 })
	live.Stop()
	live.Wait()
	if st := live.State(); st.Running || st.Message != "stopped" {
		t.Fatalf("after stop: %+v", st)
	}
}

func TestLivePublishesPageTestsToTheDashboardAndResets(t *testing.T) {
	srv := newRecordingServer(t)
	live := pageLive(srv.URL, nil)
	if err := live.Start(dashboard.StartRequest{Rate: 20, Duration: "2s"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, "requests", func() bool { return len(srv.requests()) >= 5 })
	live.ResetStats()
	live.Wait()
	if st := live.State(); st.Running || st.Message != "finished" {
		t.Fatalf("state %+v", st)
	}
	board := httptest.NewServer(live.Handler())
	defer board.Close()
	code, r := call(t, "GET", strings.TrimPrefix(board.URL, "http://"), "/api/results.json", "")
	agg, _ := r["aggregate"].(map[string]any)
	test, _ := r["test"].(map[string]any)
	// The reset leaves out the requests before it; all 40 were sent.
	if n, _ := agg["requests"].(float64); code != http.StatusOK || n == 0 || n > 35 || test["reset_at"] == nil ||
		len(srv.requests()) != 40 {
		t.Fatalf("downloaded results: %d, aggregate %v, test %v; server saw %d", code, agg, test, len(srv.requests()))
	}
}

func TestLiveLogsTheFirstMessageOfEachErrorOnce(t *testing.T) {
	closed := freeaddr.Loopback(t) // nothing listens: every request is refused
	var log syncBuffer
	live := pageLive("http://"+closed, &log)
	if err := live.Start(dashboard.StartRequest{Rate: 20, Duration: "1500ms"}); err != nil {
		t.Fatal(err)
	}
	live.Wait()
	if got := log.String(); strings.Count(got, "dashboard: first") != 1 || !strings.Contains(got, "refused") {
		t.Fatalf("error log %q", got)
	}
}

func TestPrintableCutsAndNeutralisesMessages(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain", "plain"},
		{"a\x1b[2Jb\r\nc", "a\uFFFD[2Jb\uFFFD\uFFFDc"},
		{"bad \xff utf8", "bad \uFFFD utf8"},
		{strings.Repeat("x", maxLoggedMessage+50), strings.Repeat("x", maxLoggedMessage) + "…"},
	} {
		if got := printable(tc.in); got != tc.want {
			t.Errorf("printable(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestApplyStartLoad(t *testing.T) {
	script := []schedule.Phase{{Kind: schedule.Ramp, ArrivalRate: 1, RampTo: 5, Duration: time.Minute}}
	for _, tc := range []struct {
		name   string
		phases []schedule.Phase
		req    dashboard.StartRequest
		want   schedule.Phase // the one phase wanted; zero: the phases kept
		err    bool
	}{
		{"users", script, dashboard.StartRequest{Users: 3, SpawnRate: 1, Duration: "2m"},
			schedule.Phase{Kind: schedule.Users, Users: 3, SpawnRate: 1, Duration: 2 * time.Minute}, false},
		{"rate until stopped", script, dashboard.StartRequest{Rate: 7},
			schedule.Phase{Kind: schedule.Constant, ArrivalRate: 7, Duration: untilStopped}, false},
		{"the script's phases", script, dashboard.StartRequest{}, schedule.Phase{}, false},
		{"no phases", nil, dashboard.StartRequest{Duration: "10s"},
			schedule.Phase{Kind: schedule.Constant, ArrivalRate: 10, Duration: 10 * time.Second}, false},
		{"both models", script, dashboard.StartRequest{Users: 3, Rate: 7}, schedule.Phase{}, true},
		{"bad duration", script, dashboard.StartRequest{Duration: "soon"}, schedule.Phase{}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			test := getTest(t, "http://127.0.0.1:1", 1, time.Second)
			test.Phases = tc.phases
			err := applyStartLoad(test, tc.req)
			switch {
			case tc.err != (err != nil):
				t.Fatalf("error %v", err)
			case tc.err:
			case tc.want == (schedule.Phase{}) && (len(test.Phases) != 1 || test.Phases[0] != script[0]):
				t.Fatalf("phases %+v, want the script's", test.Phases)
			case tc.want != (schedule.Phase{}) && (len(test.Phases) != 1 || test.Phases[0] != tc.want):
				t.Fatalf("phases %+v, want %+v", test.Phases, tc.want)
			}
		})
	}
}

func TestDescribeShowsTheFirstPhasesModel(t *testing.T) {
	for _, tc := range []struct {
		phases []schedule.Phase
		want   dashboard.State
	}{
		{[]schedule.Phase{{Kind: schedule.Pause}, {Kind: schedule.Users, Users: 4, SpawnRate: 2}},
			dashboard.State{Model: "closed", Users: 4, SpawnRate: 2}},
		{[]schedule.Phase{{Kind: schedule.Ramp, ArrivalRate: 3, RampTo: 9}}, dashboard.State{Model: "open", Rate: 3}},
		{nil, dashboard.State{Model: "open"}},
	} {
		if got := describe(dashboard.State{}, tc.phases); got != tc.want {
			t.Errorf("describe(%+v) = %+v, want %+v", tc.phases, got, tc.want)
		}
	}
}

func ptr[T any](v T) *T { return &v }

// A stop sent the moment the dashboard's address is printed, as a script
// watching the output sends it, stops the test. The address used to be
// printed before the test was attached, so such a stop was answered 200
// and lost, and the run went on to its end.
func TestAStopSentAsTheAddressIsPrintedStopsTheTest(t *testing.T) {
	addr := freeaddr.Loopback(t)
	srv := newRecordingServer(t)
	var answered int
	notices := noticeFunc(func(line string) {
		if strings.HasPrefix(line, "dashboard: ") {
			answered, _ = call(t, "POST", addr, "/api/stop", "{}")
		}
	})
	ctx, _, end, err := attachDashboard(t.Context(), getTest(t, srv.URL, 10, time.Minute),
		results.Test{Target: srv.URL}, Options{Dashboard: Dashboard{Addr: addr}, Notices: notices})
	if err != nil {
		t.Fatal(err)
	}
	defer end()
	if answered != http.StatusOK || ctx.Err() == nil {
		t.Fatalf("stop answered %d, and the test's context is %v: the stop was lost", answered, ctx.Err())
	}
}

// noticeFunc is a notices writer that hands each write to a function.
type noticeFunc func(line string)

func (f noticeFunc) Write(p []byte) (int, error) {
	f(string(p))
	return len(p), nil
}
