package promexport

import (
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/surge-dev/surge/internal/mute"
)

// hangingReceiver accepts connections and never answers; arrived is
// closed at the first.
func hangingReceiver(t *testing.T) (url string, arrived <-chan struct{}) {
	addr, arrived := mute.Listen(t)
	return "http://" + addr + "/api/v1/write", arrived
}

// closeBehindAPushUnderWay starts a push that hangs, asks for the final
// values and closes, interrupt closed after interruptAfter (0: never);
// it returns how long Close took.
func closeBehindAPushUnderWay(t *testing.T, interruptAfter time.Duration) (*Pusher, time.Duration) {
	t.Helper()
	url, arrived := hangingReceiver(t)
	e := NewExporter(Test{})
	p, err := NewPusher(url, e.Registry(), nil)
	if err != nil {
		t.Fatal(err)
	}
	p.Push(time.UnixMilli(1000))
	select {
	case <-arrived:
	case <-time.After(10 * time.Second):
		t.Fatal("the push never connected")
	}
	p.Push(time.UnixMilli(2000)) // the final values, behind the push under way
	var interrupt chan struct{}
	if interruptAfter > 0 {
		interrupt = make(chan struct{})
		time.AfterFunc(interruptAfter, func() { close(interrupt) })
	}
	start := time.Now()
	p.Close(interrupt)
	return p, time.Since(start)
}

// TestCloseWaitsCloseWaitInAll: behind a receiver that never answers,
// the push under way and the final one together hold Close no longer
// than CloseWait (before, each had its own PushTimeout: twice as long),
// and Err says the final values were not pushed, and why.
func TestCloseWaitsCloseWaitInAll(t *testing.T) {
	p, took := closeBehindAPushUnderWay(t, 0)
	if took > CloseWait+CloseWait/2 {
		t.Errorf("Close took %v; the bound is %v", took, CloseWait)
	}
	err := p.Err()
	if err == nil || !strings.Contains(err.Error(), "the final values were not pushed (no answer within 5s") {
		t.Fatalf("Err() = %v: want the final push reported as failed, for want of an answer", err)
	}
}

// TestInterruptEndsTheCloseWait: an interrupt during Close cuts the
// pushes short at once, and Err says so.
func TestInterruptEndsTheCloseWait(t *testing.T) {
	p, took := closeBehindAPushUnderWay(t, 100*time.Millisecond)
	if took > CloseWait/2 {
		t.Errorf("Close took %v after an interrupt at 100ms; it should end at once", took)
	}
	if err := p.Err(); err == nil || !strings.Contains(err.Error(), "the final values were not pushed (interrupted") {
		t.Fatalf("Err() = %v: want the final push reported as interrupted", err)
	}
}

// TestOwnLabelsAreRefused: every label name a push of every kind of
// series carries (bar job, added here) is refused as a label to add,
// and nothing else is refused that the series do not carry.
func TestOwnLabelsAreRefused(t *testing.T) {
	rv := &receiver{}
	srv := httptest.NewServer(rv)
	defer srv.Close()
	e := NewExporter(Test{Name: "n", Script: "s.yml", Target: "http://127.0.0.1"})
	snap := snapshot(t)
	snap.Interval.Generator = calm
	e.Update(&snap)
	p, err := NewPusher(srv.URL, e.Registry(), map[string]string{"job": "j"})
	if err != nil {
		t.Fatal(err)
	}
	p.Push(time.UnixMilli(1000))
	p.Close(nil)
	used := map[string]bool{}
	labelName := regexp.MustCompile(`[{,]([a-zA-Z_][a-zA-Z0-9_]*)="`)
	for series := range rv.all()[0] {
		for _, m := range labelName.FindAllStringSubmatch(series, -1) {
			used[m[1]] = m[1] != "job"
		}
	}
	for name, own := range used {
		if err := CheckLabelName(name); own && err == nil {
			t.Errorf("label %q is on Surge's series but not refused", name)
		}
	}
	for _, name := range OwnLabels() {
		if !used[name] {
			t.Errorf("%q is refused but no series carries it", name)
		}
	}
	for _, name := range []string{"run", "job", "instance", "segment"} {
		if err := CheckLabelName(name); err != nil {
			t.Errorf("%q refused: %v", name, err)
		}
	}
}
