package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A summary and stats CSV of Locust 2.12.1 (trimmed from a real run; the
// failure count is edited in to check it is read).
const locustSummary = `Type     Name       # reqs      # fails |    Avg     Min     Max    Med |   req/s  failures/s
--------|----------|-------|-------------|-------|-------|-------|-------|--------|-----------
GET      /             765    12(1.57%) |     37       0     277     21 |  901.18        0.00
--------|----------|-------|-------------|-------|-------|-------|-------|--------|-----------
         Aggregated    765    12(1.57%) |     37       0     277     21 |  901.18        0.00

Response time percentiles (approximated)
Type     Name        50%    66%    75%    80%    90%    95%    98%    99%  99.9% 99.99%   100% # reqs
--------|----------|--------|------|------|------|------|------|------|------|------|------|------|------
         Aggregated   21     28     34     45     94    100    120    270    280    280    280    765
`

const locustStats = `Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%
GET,/,760,0,21,37.4,0,277,3.0,901.1,0.0,21,28,34,45,94,100,120,270,280,280,280
,Aggregated,760,0,21,37.4,0,277,3.0,901.1,0.0,21,28,34,45,94,100,120,270,280,280,280
`

func TestLocustResults(t *testing.T) {
	csvPath := filepath.Join(t.TempDir(), "x_stats.csv")
	if err := os.WriteFile(csvPath, []byte(locustStats), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := locustResults(&Proc{Stderr: locustSummary}, csvPath)
	if err != nil {
		t.Fatal(err)
	}
	// Counts from the printed summary (765), not the earlier CSV (760).
	want := Run{"requests": 765, "errors": 12, "rps": 901.18, "p50": 21, "p90": 94, "p99": 270, "p999": 280, "max": 280}
	for k, v := range want {
		if r[k] != v {
			t.Errorf("%s = %v, want %v", k, r[k], v)
		}
	}
	if _, err := locustResults(&Proc{Stderr: "Traceback: boom"}, csvPath); err == nil {
		t.Error("no summary: want an error")
	}
}

func TestLocustFileAndArgs(t *testing.T) {
	host, path, err := splitURL("http://127.0.0.1:8080/status/200?x=1")
	if err != nil || host != "http://127.0.0.1:8080" || path != "/status/200?x=1" {
		t.Fatalf("splitURL = %q %q %v", host, path, err)
	}
	fast := locustFile(locustFast, path, 3*time.Second)
	for _, s := range []string{"class Bench(FastHttpUser)", "network_timeout = 3", `self.client.get("/status/200?x=1")`} {
		if !strings.Contains(fast, s) {
			t.Errorf("FastHttpUser file lacks %q:\n%s", s, fast)
		}
	}
	if plain := locustFile(locustHTTP, "/", 0); !strings.Contains(plain, `get("/", timeout=30)`) {
		t.Errorf("HttpUser file: %s", plain)
	}
	args := strings.Join(locustArgs(Load{Users: 64, Duration: 10 * time.Second, Log: "out/a/l"}, "l.py", host), " ")
	if !strings.Contains(args, "-u 64 -r 64 -t 10s") || !strings.Contains(args, "--headless") {
		t.Errorf("args: %s", args)
	}
	if _, _, err := runLocust(locustFast)(&Config{}, &Tool{}, Load{Rate: 100}); err == nil {
		t.Error("open model: want ErrUnsupported")
	}
}
