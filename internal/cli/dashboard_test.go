package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/surge-dev/surge/internal/freeaddr"

	"github.com/surge-dev/surge/dashboard"
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
	go func() {
		done <- surge(t, ctx, "ui", "--addr", "0.0.0.0:0", "--dashboard-token", "", "-t", "http://127.0.0.1:1")
	}()
	time.Sleep(500 * time.Millisecond)
	cancel()
	res := <-done
	if !strings.Contains(res.stderr, "/?token=") {
		t.Fatalf("no token printed for a dashboard bound to all interfaces: %q", res.stderr)
	}
}

// startUI runs `surge ui` with args until the test ends.
func startUI(t *testing.T, addr string, args ...string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		surge(t, ctx, append([]string{"ui", "--addr", addr}, args...)...)
	}()
	t.Cleanup(func() { cancel(); <-done })
	for range 50 {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("dashboard did not start")
}

// statusWithHost GETs path from the dashboard at addr as if it were
// reached under the name host.
func statusWithHost(t *testing.T, addr, path, host string) int {
	t.Helper()
	req, _ := http.NewRequest("GET", "http://"+addr+path, nil)
	req.Host = host
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestDashboardAnswersOnlyToLoopbackAndNamedHosts(t *testing.T) {
	srv, _ := countingServer(t)
	uiAddr := freeaddr.Loopback(t)
	startUI(t, uiAddr, "-t", srv.URL, "--dashboard-allow-host", "surge.test")
	quickAddr := freeaddr.Loopback(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan cmdResult)
	go func() {
		done <- surge(t, ctx, "quick", srv.URL, "--rate", "5", "--duration", "30s", "-q",
			"--dashboard="+quickAddr, "--dashboard-allow-host", "box.lan", "--dashboard-allow-host", "surge.test")
	}()
	t.Cleanup(func() { cancel(); <-done })
	waitListening(t, quickAddr)
	for _, addr := range []string{uiAddr, quickAddr} {
		for host, want := range map[string]int{"evil.example": 403, "evil.example:8089": 403, "localhost": 200,
			"127.0.0.1:8089": 200, "surge.test": 200, "SURGE.test:8089": 200} {
			for _, path := range []string{"/api/state", "/api/results.json"} {
				if got := statusWithHost(t, addr, path, host); got != want && !(got == 404 && want == 200) {
					t.Errorf("%s%s with Host %s: %d, want %d", addr, path, host, got, want)
				}
			}
		}
	}
	if got := statusWithHost(t, quickAddr, "/api/state", "box.lan"); got != 200 {
		t.Errorf("second --dashboard-allow-host not honoured: %d", got)
	}
}

func waitListening(t *testing.T, addr string) {
	t.Helper()
	for range 100 {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("nothing listens on %s", addr)
}

func TestDashboardRefusesToStartUnsafely(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"ui"}, "--allow-any-target"},
		{[]string{"ui", "--addr", "0.0.0.0:0", "--dashboard-token", "x", "-t", "http://127.0.0.1:1"}, "at least 16 characters"},
		{[]string{"quick", "http://127.0.0.1:1", "--dashboard=0.0.0.0:0", "--dashboard-token", "short"}, "at least 16 characters"},
	} {
		res := surge(t, ctx, c.args...)
		if res.code != ExitUsage || !strings.Contains(res.stderr, c.want) {
			t.Errorf("surge %v: exit %d, stderr %q; want %d naming %q", c.args, res.code, res.stderr, ExitUsage, c.want)
		}
	}
}

func TestUIPageMayOnlyChooseTheTargetHost(t *testing.T) {
	srv, n := countingServer(t)
	other, otherN := countingServer(t)
	addr := freeaddr.Loopback(t)
	startUI(t, addr, "-t", srv.URL)
	start := func(host string) int {
		resp, err := http.Post("http://"+addr+"/api/start", "application/json",
			strings.NewReader(`{"rate": 20, "duration": "1s", "host": "`+host+`"}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := start(other.URL); code != http.StatusForbidden {
		t.Fatalf("start against another host: %d", code)
	}
	if code := start(srv.URL + "/some/path"); code != http.StatusOK {
		t.Fatalf("start against the target: %d", code)
	}
	for i := 0; i < 100 && n.Load() < 20; i++ {
		time.Sleep(50 * time.Millisecond)
	}
	if n.Load() == 0 || otherN.Load() != 0 {
		t.Fatalf("target got %d requests, the other host %d", n.Load(), otherN.Load())
	}
}

func TestUIWithAnyTargetAllowedSendsWhereThePageSays(t *testing.T) {
	srv, n := countingServer(t)
	addr := freeaddr.Loopback(t)
	startUI(t, addr, "--allow-any-target")
	resp, err := http.Post("http://"+addr+"/api/start", "application/json",
		strings.NewReader(`{"rate": 20, "duration": "1s", "host": "`+srv.URL+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for i := 0; i < 100 && n.Load() == 0; i++ {
		time.Sleep(50 * time.Millisecond)
	}
	if resp.StatusCode != 200 || n.Load() == 0 {
		t.Fatalf("start: %d, %d requests", resp.StatusCode, n.Load())
	}
}

// bannerServer answers every connection with the first line an SSH
// server sends, then closes it: a service that is not HTTP.
func bannerServer(t *testing.T, banner string) string {
	t.Helper()
	l := listen(t)
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				c.Write([]byte(banner + "\r\n"))
				c.SetReadDeadline(time.Now().Add(time.Second))
				c.Read(make([]byte, 4096))
			}()
		}
	}()
	return l.Addr().String()
}

func TestDashboardNeverEchoesWhatTheTargetSent(t *testing.T) {
	const secret = "SSH-2.0-OpenSSH_9.6 Fake-Banner-7f3a"
	target := "http://" + bannerServer(t, secret)
	addr := freeaddr.Loopback(t)
	stop := runInBackground(t, "ui", "--addr", addr, "-t", target)
	defer stop()
	waitListening(t, addr)
	events, err := http.Get("http://" + addr + "/api/events")
	if err != nil {
		t.Fatal(err)
	}
	defer events.Body.Close()
	resp, err := http.Post("http://"+addr+"/api/start", "application/json", strings.NewReader(`{"rate": 20, "duration": "2s"}`))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("start: %v %v", err, resp.Status)
	}
	resp.Body.Close()
	var seen strings.Builder
	var groups []dashboard.ErrorGroup
	for _, ev := range readFrames(t, events.Body, 15*time.Second) {
		seen.WriteString(ev.data)
		var f dashboard.Frame
		if ev.name == "frame" && json.Unmarshal([]byte(ev.data), &f) == nil && len(f.Errors) > 0 {
			groups = f.Errors
		}
	}
	for _, path := range []string{"/api/state"} {
		r, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(r.Body)
		r.Body.Close()
		seen.Write(b)
	}
	if strings.Contains(seen.String(), "Fake-Banner") || strings.Contains(seen.String(), "SSH-2.0") {
		t.Fatalf("the dashboard's API repeats the target's banner: %s", seen.String())
	}
	if len(groups) != 1 || groups[0].Count == 0 || groups[0].Message == "" {
		t.Fatalf("error groups %+v", groups)
	}
	res := stop()
	t.Log(res.stderr)
	if !strings.Contains(res.stderr, "Fake-Banner") {
		t.Errorf("the terminal does not show the first message: %q", res.stderr)
	}
}

// runInBackground runs surge with args until the returned function is
// called; it returns what the command printed (again on later calls).
func runInBackground(t *testing.T, args ...string) (stop func() cmdResult) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan cmdResult, 1)
	go func() { done <- surge(t, ctx, args...) }()
	var once sync.Once
	var res cmdResult
	return func() cmdResult {
		once.Do(func() { cancel(); res = <-done })
		return res
	}
}

type sseEvent struct{ name, data string }

// readFrames reads server-sent events until the test's final frame, or
// until within has passed.
func readFrames(t *testing.T, r io.Reader, within time.Duration) []sseEvent {
	t.Helper()
	deadline := time.Now().Add(within)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	var out []sseEvent
	var cur sseEvent
	for time.Now().Before(deadline) && sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			cur.name = line[7:]
		case strings.HasPrefix(line, "data: "):
			cur.data = line[6:]
		case line == "" && cur.name != "":
			out = append(out, cur)
			if cur.name == "frame" && strings.Contains(cur.data, `"final":true`) {
				return out
			}
			cur = sseEvent{}
		}
	}
	t.Fatalf("no final frame within %v (%d events)", within, len(out))
	return nil
}

func listen(t *testing.T) net.Listener {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return l
}
