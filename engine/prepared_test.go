package engine

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/schedule"
	"github.com/surge-dev/surge/transport"
)

// sessionHandler logs in with a cookie through a redirect, and echoes
// methods and bodies through the redirects that keep or drop them.
func sessionHandler(seen *atomic.Int64) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/login", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "sid", Value: "42", Path: "/"})
		http.Redirect(w, r, "/home", http.StatusFound)
	})
	mux.HandleFunc("/home", func(w http.ResponseWriter, r *http.Request) {
		if c, err := r.Cookie("sid"); err != nil || c.Value != "42" {
			http.Error(w, "no session", http.StatusUnauthorized)
			return
		}
		io.WriteString(w, "welcome")
	})
	mux.HandleFunc("/see-other", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/method", http.StatusSeeOther)
	})
	mux.HandleFunc("/temporary", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/method", http.StatusTemporaryRedirect)
	})
	mux.HandleFunc("/method", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if r.Method == http.MethodPost && string(b) != "payload" {
			http.Error(w, "body lost", http.StatusBadRequest)
			return
		}
		w.Header().Set("X-Method", r.Method)
		if r.Method == http.MethodGet {
			w.WriteHeader(http.StatusAccepted) // 202: the POST became a GET
		}
	})
	mux.HandleFunc("/plain", func(w http.ResponseWriter, r *http.Request) {
		seen.Add(1)
		io.WriteString(w, "ok")
	})
	return mux
}

// runSends runs n arrivals of a scenario that sends the prepared requests
// in turn, and returns the final snapshot.
func runSends(t *testing.T, cfg transport.Config, n int, ps ...*Prepared) metrics.Snapshot {
	t.Helper()
	res, err := Run(context.Background(), Test{
		Phases: []schedule.Phase{{Kind: schedule.Constant, ArrivalRate: float64(n), Duration: time.Second}},
		Scenarios: []Scenario{{Name: "send", Run: func(_ context.Context, vu *VU) error {
			for _, p := range ps {
				if err := vu.Send(0, p); err != nil {
					return err
				}
			}
			return nil
		}}},
		Conns: Shared,
		HTTP:  cfg,
	})
	if err != nil {
		t.Fatal(err)
	}
	return res.Final
}

func prepare(t *testing.T, method, rawURL, body string) *Prepared {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	return Prepare(method, u, http.Header{"User-Agent": {"surge-test"}}, []byte(body))
}

func TestSend(t *testing.T) {
	var seen atomic.Int64
	srv := httptest.NewServer(sessionHandler(&seen))
	t.Cleanup(srv.Close)
	tests := []struct {
		name  string
		ps    []*Prepared
		codes map[int]int64
	}{
		{"plain", []*Prepared{prepare(t, "GET", srv.URL+"/plain", "")}, map[int]int64{200: 10}},
		{"redirect with a cookie, then a request that carries it",
			[]*Prepared{prepare(t, "GET", srv.URL+"/login", ""), prepare(t, "GET", srv.URL+"/home", "")},
			map[int]int64{302: 10, 200: 20}}, // each hop is a request of its own
		{"303 turns a POST into a GET", []*Prepared{prepare(t, "POST", srv.URL+"/see-other", "payload")}, map[int]int64{303: 10, 202: 10}},
		{"307 repeats the POST and its body", []*Prepared{prepare(t, "POST", srv.URL+"/temporary", "payload")}, map[int]int64{307: 10, 200: 10}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := runSends(t, transport.Config{}, 10, tt.ps...)
			if f.Total.Errors != 0 || len(f.Total.Codes) != len(tt.codes) {
				t.Fatalf("codes %v, errors %d (%v); want %v", f.Total.Codes, f.Total.Errors, f.Total.Kinds, tt.codes)
			}
			for code, n := range tt.codes {
				if f.Total.Codes[code] != n {
					t.Errorf("codes %v, want %v", f.Total.Codes, tt.codes)
				}
			}
			if f.Total.BytesRecv <= 0 || f.Total.BytesSent <= 0 {
				t.Errorf("bytes sent %d, received %d", f.Total.BytesSent, f.Total.BytesRecv)
			}
		})
	}
	if n := seen.Load(); n != 10 {
		t.Errorf("/plain saw %d requests, want 10", n)
	}
}

// TestSendOverTLS checks the fall-back to net/http for what the lean path
// does not carry.
func TestSendOverTLS(t *testing.T) {
	var seen atomic.Int64
	srv := httptest.NewTLSServer(sessionHandler(&seen))
	t.Cleanup(srv.Close)
	f := runSends(t, transport.Config{Insecure: true}, 5, prepare(t, "GET", srv.URL+"/plain", ""))
	if f.Total.Codes[200] != 5 || seen.Load() != 5 {
		t.Fatalf("codes %v, server saw %d; want 5 × 200", f.Total.Codes, seen.Load())
	}
}

func TestSendCountsUnreachableAsErrors(t *testing.T) {
	f := runSends(t, transport.Config{}, 5, prepare(t, "GET", "http://127.0.0.1:1/", ""))
	if f.Total.Errors != 5 || f.Total.Kinds[metrics.ErrRefused.String()] != 5 {
		t.Fatalf("errors %d, kinds %v; want 5 ECONNREFUSED", f.Total.Errors, f.Total.Kinds)
	}
}

func TestRedirectRequest(t *testing.T) {
	header := http.Header{"Authorization": {"Bearer x"}, "X-Keep": {"1"}}
	u, _ := url.Parse("http://api.example/login?a=1")
	tests := []struct {
		method     string
		status     int
		loc        string
		wantMethod string
		wantURL    string
		body       bool // the body goes along
		auth       bool // Authorization goes along
		referer    string
	}{
		{"POST", 302, "/home", "GET", "http://api.example/home", false, true, "http://api.example/login?a=1"},
		{"POST", 303, "home", "GET", "http://api.example/home", false, true, "http://api.example/login?a=1"},
		{"HEAD", 303, "/h", "HEAD", "http://api.example/h", false, true, "http://api.example/login?a=1"},
		{"PUT", 307, "/again", "PUT", "http://api.example/again", true, true, "http://api.example/login?a=1"},
		{"POST", 308, "http://v2.api.example/x", "POST", "http://v2.api.example/x", true, true, "http://api.example/login?a=1"},
		{"GET", 301, "http://other.example/", "GET", "http://other.example/", false, false, "http://api.example/login?a=1"},
	}
	for _, tt := range tests {
		p := Prepare(tt.method, u, header, []byte("data"))
		req, err := redirectRequest(p.request(), tt.status, tt.loc)
		if err != nil {
			t.Fatalf("%s %d %s: %v", tt.method, tt.status, tt.loc, err)
		}
		if req.Method != tt.wantMethod || req.URL.String() != tt.wantURL || (req.Body != nil) != tt.body ||
			(req.Header.Get("Authorization") != "") != tt.auth || req.Header.Get("Referer") != tt.referer ||
			req.Header.Get("X-Keep") != "1" {
			t.Errorf("%s %d %s: got %s %s body %v header %v", tt.method, tt.status, tt.loc, req.Method, req.URL, req.Body != nil, req.Header)
		}
	}
	if header.Get("Referer") != "" {
		t.Error("the prepared header was changed")
	}
	withHost := Prepare("GET", u, http.Header{"Host": {"virtual.example"}}, nil).request()
	if req, _ := redirectRequest(withHost, 302, "/next"); req == nil || req.Host != "virtual.example" {
		t.Errorf("a Host set by hand must stay for a relative Location: %+v", req)
	}
	if req, _ := redirectRequest(withHost, 302, "http://api.example/next"); req == nil || req.Host != "api.example" {
		t.Errorf("an absolute Location names its own host: %+v", req)
	}
	if _, err := redirectRequest(Prepare("GET", u, header, nil).request(), 302, "http://[::1"); err == nil {
		t.Error("a bad Location was accepted")
	}
}

// TestRedirectLoopCostsTenRequests: each hop is a request of its own, and
// a loop ends after the tenth redirect response, as net/http's client
// ends it; the VU fails under ETOOMANYREDIRECTS.
func TestRedirectLoopCostsTenRequests(t *testing.T) {
	var seen atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen.Add(1)
		http.Redirect(w, r, "/again", http.StatusFound)
	}))
	t.Cleanup(srv.Close)
	for _, lean := range []bool{true, false} {
		seen.Store(0)
		p := prepare(t, "GET", srv.URL+"/", "")
		res, err := Run(context.Background(), Test{
			Phases: []schedule.Phase{{Kind: schedule.Count, ArrivalCount: 3, Duration: 100 * time.Millisecond}},
			Scenarios: []Scenario{{Name: "loop", Run: func(_ context.Context, vu *VU) error {
				if lean {
					return vu.Send(0, p)
				}
				_, err := vu.Do(0, p.request(), false)
				return err
			}}},
			Conns: Shared,
		})
		if err != nil {
			t.Fatal(err)
		}
		f := res.Final
		if seen.Load() != 30 || f.Total.Requests != 30 || f.Total.Codes[302] != 30 {
			t.Errorf("lean %v: server saw %d, Surge counted %d (%v); want 30 × 302", lean, seen.Load(), f.Total.Requests, f.Total.Codes)
		}
		if len(f.Failures) != 1 || f.Failures[0].Reason != "ETOOMANYREDIRECTS" || f.Failures[0].Count != 3 {
			t.Errorf("lean %v: VU failures %+v, want 3 × ETOOMANYREDIRECTS", lean, f.Failures)
		}
	}
}
