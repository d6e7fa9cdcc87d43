package dashboard

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/surge-dev/surge/results"
)

func TestIsLoopback(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:8089": true, "localhost:1": true, "[::1]:80": true, "127.0.0.5:9": true,
		"0.0.0.0:8089": false, ":8089": false, "192.168.1.4:8089": false, "[::]:80": false,
	} {
		if got := IsLoopback(addr); got != want {
			t.Errorf("IsLoopback(%q) = %v", addr, got)
		}
	}
}

// withHost sends a request to srv as if the browser had reached it under
// the name host (what a DNS-rebinding page's requests look like).
func withHost(t *testing.T, method, url, host string) int {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(`{"rate": 10}`))
	req.Host = host
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", "http://"+host)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestWithoutATokenOnlyLoopbackAndNamedHostsAreServed(t *testing.T) {
	ctl := &recordingController{}
	s := New(Config{Title: "t", AllowedHosts: []string{"dash.internal", "Box.Lan:9000"}}, ctl)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	s.BeginRun(results.Test{Name: "t"})
	s.Publish(snapshots()[0], nil)
	for _, host := range []string{"evil.example", "evil.example:8089", "127.0.0.1.evil.example", "localhost.evil.example",
		"10.0.0.7:8089", "[::ffff:10.0.0.7]"} {
		for _, path := range []string{"/", "/api/state", "/api/events", "/api/results.json", "/api/report.html", "/assets/charts.js"} {
			if code := withHost(t, "GET", srv.URL+path, host); code != http.StatusForbidden {
				t.Errorf("GET %s with Host %q: %d, want 403", path, host, code)
			}
		}
		if code := withHost(t, "POST", srv.URL+"/api/start", host); code != http.StatusForbidden {
			t.Errorf("POST /api/start with Host %q: %d, want 403", host, code)
		}
	}
	if len(ctl.starts) != 0 {
		t.Fatalf("a test was started through a foreign host name: %+v", ctl.starts)
	}
	for _, host := range []string{"localhost", "LOCALHOST:8089", "127.0.0.1", "127.0.0.1:8089", "127.4.5.6:1",
		"[::1]", "[::1]:8089", "dash.internal", "DASH.internal:8089", "box.lan", "box.lan:80"} {
		if code := withHost(t, "GET", srv.URL+"/api/state", host); code != http.StatusOK {
			t.Errorf("GET /api/state with Host %q: %d, want 200", host, code)
		}
	}
}

func TestWithATokenAnyHostNeedsTheToken(t *testing.T) {
	_, _, srv := newTestServer(t, "0123456789abcdef")
	req, _ := http.NewRequest("GET", srv.URL+"/api/state", nil)
	req.Host = "dash.example.com"
	req.Header.Set("Authorization", "Bearer 0123456789abcdef")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("a token-protected dashboard reached by its public name: %d", resp.StatusCode)
	}
	if code := withHost(t, "GET", srv.URL+"/api/state", "dash.example.com"); code != http.StatusUnauthorized {
		t.Fatalf("without the token: %d", code)
	}
}
