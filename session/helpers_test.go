package session

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/schedule"
)

// seen is one request as the server received it.
type seen struct {
	method, path, auth, header, body string
}

// recordingServer answers every request with 200 and writes it down.
type recordingServer struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []seen
}

func newRecordingServer(t *testing.T) *recordingServer {
	rs := &recordingServer{}
	rs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rs.mu.Lock()
		rs.reqs = append(rs.reqs, seen{r.Method, r.URL.Path, r.Header.Get("Authorization"), r.Header.Get("X-Test"), string(body)})
		rs.mu.Unlock()
		w.Write([]byte(`{"ok":true}`))
	}))
	t.Cleanup(rs.Close)
	return rs
}

func (rs *recordingServer) requests() []seen {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	return append([]seen(nil), rs.reqs...)
}

// getTest is a GET of url at rate requests a second for d.
func getTest(t *testing.T, url string, rate float64, d time.Duration) *engine.Test {
	t.Helper()
	test, err := OneRequest("GET", url, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	test.Phases = []schedule.Phase{{Kind: schedule.Constant, ArrivalRate: rate, Duration: d}}
	return test
}

// waitFor polls cond every 20 ms for up to within.
func waitFor(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(within); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("waited %v for %s", within, what)
}

// call sends a request to a dashboard at addr and decodes its answer.
func call(t *testing.T, method, addr, path, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, "http://"+addr+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil
	}
	defer resp.Body.Close()
	var v map[string]any
	json.NewDecoder(resp.Body).Decode(&v)
	return resp.StatusCode, v
}

// syncBuffer is a bytes buffer several goroutines may write.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
