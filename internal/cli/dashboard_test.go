package cli

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestRunWithDashboardCanBeSteeredAndStopped(t *testing.T) {
	srv, n := countingServer(t)
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := l.Addr().String()
	l.Close()
	done := make(chan cmdResult)
	go func() {
		done <- surge(t, context.Background(), "quick", srv.URL, "--rate", "20", "--duration", "30s", "--dashboard="+addr)
	}()
	var st struct {
		Running bool    `json:"running"`
		Rate    float64 `json:"rate"`
	}
	for i := 0; i < 50 && !st.Running; i++ {
		time.Sleep(100 * time.Millisecond)
		if resp, err := http.Get("http://" + addr + "/api/state"); err == nil {
			json.NewDecoder(resp.Body).Decode(&st)
			resp.Body.Close()
		}
	}
	if !st.Running || st.Rate != 20 {
		t.Fatalf("dashboard state %+v", st)
	}
	req, _ := http.NewRequest("POST", "http://"+addr+"/api/stop", strings.NewReader("{}"))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	select {
	case res := <-done:
		if res.code != ExitInterrupted || n.Load() == 0 || !strings.Contains(res.stderr, "dashboard: http://"+addr) {
			t.Fatalf("exit %d after %d requests; stderr %q", res.code, n.Load(), res.stderr)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the dashboard's stop did not end the run")
	}
}

func TestDashboardOffLoopbackMakesUpAToken(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan cmdResult)
	go func() { done <- surge(t, ctx, "ui", "--addr", "0.0.0.0:0", "--token", "") }()
	time.Sleep(500 * time.Millisecond)
	cancel()
	res := <-done
	if !strings.Contains(res.stderr, "/?token=") {
		t.Fatalf("no token printed for a dashboard bound to all interfaces: %q", res.stderr)
	}
}
