package dashboard

import (
	"bufio"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/results"
)

// lastFrame is the frame the dashboard would send a new browser.
func lastFrame(t *testing.T, s *Server) Frame {
	t.Helper()
	s.mu.Lock()
	b := s.run.frame
	s.mu.Unlock()
	var f Frame
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestErrorsAreGroupedByEndpointAndKindWithCounts(t *testing.T) {
	s, _, _ := newTestServer(t, "")
	t0 := time.Unix(1700000000, 0)
	rec := metrics.NewRecorder([]string{"GET /a", "POST /b"}, 2, t0)
	s.BeginRun(results.Test{Name: "t"})
	fail := func(endpoint int, kind metrics.ErrorKind, n int) {
		for i := range n {
			rec.Record(uint64(i), &metrics.Sample{Endpoint: endpoint, Latency: time.Millisecond, Err: kind, Failed: true})
		}
	}
	flush := func(sec int) { s.Publish(rec.Flush(t0.Add(time.Duration(sec)*time.Second), false), nil) }
	fail(0, metrics.ErrRefused, 500)
	fail(1, metrics.ErrProtocol, 2)
	flush(1)
	fail(0, metrics.ErrRefused, 300)
	flush(2)
	flush(3)
	f := lastFrame(t, s)
	want := []ErrorGroup{
		{Endpoint: "GET /a", Kind: "ECONNREFUSED", Message: "connection refused", Count: 800, LastSeen: t0.Add(2 * time.Second)},
		{Endpoint: "POST /b", Kind: "EPROTO", Message: "the answer was not valid HTTP", Count: 2, LastSeen: t0.Add(time.Second)},
	}
	if len(f.Errors) != len(want) || f.ErrorsOut != 0 {
		t.Fatalf("errors %+v (+%d), want %+v", f.Errors, f.ErrorsOut, want)
	}
	for i := range want {
		if g := f.Errors[i]; g.Endpoint != want[i].Endpoint || g.Kind != want[i].Kind || g.Message != want[i].Message ||
			g.Count != want[i].Count || !g.LastSeen.Equal(want[i].LastSeen) {
			t.Errorf("group %d: %+v, want %+v", i, g, want[i])
		}
	}
	// A reset takes effect at the next flush: the second after it starts
	// the new span.
	rec.Reset()
	flush(4)
	fail(1, metrics.ErrTimeout, 1)
	flush(5)
	if f := lastFrame(t, s); len(f.Errors) != 1 || f.Errors[0].Kind != "ETIMEDOUT" || f.Errors[0].Count != 1 {
		t.Fatalf("after a reset: %+v", f.Errors)
	}
}

func TestErrorGroupsAreBounded(t *testing.T) {
	var endpoints []metrics.Stats
	for i := range maxErrorGroups + 10 {
		st := metrics.NewStats("GET /" + strconv.Itoa(i))
		st.Kinds["ETIMEDOUT"] = int64(i + 1)
		endpoints = append(endpoints, st)
	}
	g := errorGroups{}
	g.update(endpoints, time.Unix(1700000000, 0))
	top, left := g.top()
	if len(top) != maxErrorGroups || left != 10 || top[0].Count != int64(len(endpoints)) || top[maxErrorGroups-1].Count != 11 {
		t.Fatalf("%d groups (+%d left out), first %+v", len(top), left, top[0])
	}
}

func TestAPageLoadedAfterTheEndShowsTheTestEnded(t *testing.T) {
	s, ctl, srv := newTestServer(t, "")
	ctl.st.Running = true
	s.BeginRun(results.Test{Name: "t"})
	for _, snap := range snapshots() { // the last one is final
		s.Publish(snap, nil)
	}
	ctl.mu.Lock()
	ctl.st.Running, ctl.st.Message = false, "finished"
	ctl.mu.Unlock()
	resp, err := http.Get(srv.URL + "/api/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	// The page applies events in order: the last state it reads wins.
	var last State
	for _, ev := range readEvents(t, resp.Body, 3) {
		switch ev.name {
		case "state":
			json.Unmarshal([]byte(ev.data), &last)
		case "frame":
			var f Frame
			json.Unmarshal([]byte(ev.data), &f)
			last = f.State
		}
	}
	if last.Running || last.Message != "finished" {
		t.Fatalf("a page loaded after the end reads %+v", last)
	}
}

func TestCurrentRPSIsTheLastSecondsAndNoneOnceEnded(t *testing.T) {
	s, _, _ := newTestServer(t, "")
	t0 := time.Unix(1700000000, 0)
	rec := metrics.NewRecorder([]string{"GET /a", "POST /b"}, 1, t0)
	s.BeginRun(results.Test{Name: "t"})
	for sec, n := range []int{100, 100, 20} {
		for i := range n {
			rec.Record(0, &metrics.Sample{Endpoint: i % 2, Latency: time.Millisecond, Status: 200})
		}
		s.Publish(rec.Flush(t0.Add(time.Duration(sec+1)*time.Second), false), nil)
	}
	f := lastFrame(t, s)
	agg := f.Endpoints[2]
	if f.Summary.RPS == nil || *f.Summary.RPS != 20 || agg.RPS == nil || *agg.RPS != 20 || *f.Endpoints[0].RPS != 10 {
		t.Fatalf("current rps: summary %v, aggregated %v, GET /a %v; want 20, 20, 10",
			deref(f.Summary.RPS), deref(agg.RPS), deref(f.Endpoints[0].RPS))
	}
	if math.Abs(agg.AvgRPS-220.0/3) > 0.01 {
		t.Fatalf("average rps %v, want %v", agg.AvgRPS, 220.0/3)
	}
	rec.Record(0, &metrics.Sample{Endpoint: 0, Latency: time.Millisecond, Status: 200})
	s.Publish(rec.Flush(t0.Add(3200*time.Millisecond), true), nil)
	f = lastFrame(t, s)
	if f.Summary.RPS != nil || f.Endpoints[0].RPS != nil || f.Endpoints[2].RPS != nil {
		t.Fatalf("a finished test shows a current rate: %v %v", deref(f.Summary.RPS), deref(f.Endpoints[0].RPS))
	}
	if f.Point != nil {
		t.Fatalf("the 0.2 s tail is plotted: %+v", f.Point)
	}
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// A page hears of the state by two roads, the answers to its requests
// and the event stream; every state is numbered in the order it was
// read, so the page can keep the newest whichever arrives last.
func TestStatesAreNumberedInTheOrderTheyAreRead(t *testing.T) {
	s, _, srv := newTestServer(t, "")
	resp, err := http.Get(srv.URL + "/api/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body := bufio.NewReader(resp.Body)
	seqOf := func(data string) uint64 {
		var st State
		if err := json.Unmarshal([]byte(data), &st); err != nil {
			t.Fatal(err)
		}
		return st.Seq
	}
	nextState := func() uint64 {
		for {
			if e := readEvents(t, body, 1)[0]; e.name == "state" {
				return seqOf(e.data)
			}
		}
	}
	caughtUp := nextState()
	r, err := http.Post(srv.URL+"/api/stop", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	answer, _ := io.ReadAll(r.Body)
	r.Body.Close()
	answered := seqOf(string(answer))
	s.PublishState()
	published := nextState()
	if !(0 < caughtUp && caughtUp < answered && answered < published) {
		t.Fatalf("seq: catch-up %d, stop's answer %d, event %d: want increasing", caughtUp, answered, published)
	}
}
