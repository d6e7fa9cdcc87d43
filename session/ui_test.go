package session

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/surge-dev/surge/internal/freeaddr"
)

func TestServeUIRunsTestsStartedFromThePage(t *testing.T) {
	srv := newRecordingServer(t)
	addr := freeaddr.Loopback(t)
	ctx, cancel := context.WithCancel(context.Background())
	var notices syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- ServeUI(ctx, UI{Dashboard: Dashboard{Addr: addr}, Target: srv.URL, Notices: &notices})
	}()
	waitFor(t, 10*time.Second, "the dashboard", func() bool { code, _ := call(t, "GET", addr, "/api/state", ""); return code == 200 })
	if code, st := call(t, "POST", addr, "/api/start", `{"rate": 20, "duration": "1m"}`); code != http.StatusOK || st["running"] != true {
		t.Fatalf("start: %d %v", code, st)
	}
	waitFor(t, 10*time.Second, "requests", func() bool { return len(srv.requests()) > 0 })
	cancel() // stops the running test and waits for it
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("ServeUI did not return after its context ended")
	}
	if !strings.Contains(notices.String(), "dashboard: http://"+addr+"/") {
		t.Fatalf("notices %q", notices.String())
	}
}

func TestServeUINeedsATargetOrLeaveToChooseOne(t *testing.T) {
	err := ServeUI(context.Background(), UI{Dashboard: Dashboard{Addr: freeaddr.Loopback(t)}})
	var input *InputError
	if !errors.As(err, &input) || !strings.Contains(err.Error(), "target") {
		t.Fatalf("error %v", err)
	}
}
