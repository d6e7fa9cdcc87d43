package h1

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/surge-dev/surge/internal/freeaddr"
)

func TestDeadline(t *testing.T) {
	stallHead := rawServer(t, stall)
	stallBody := rawServer(t, func(c net.Conn) {
		replyRaw("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly some")(c)
		io.Copy(io.Discard, c)
	})
	tests := []struct{ name, addr string }{
		{"server stalls before responding", stallHead},
		{"server stalls mid-body", stallBody},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
			defer cancel()
			start := time.Now()
			_, _, err := doCtx(t, ctx, newTransport(t, nil), "GET", "http://"+tt.addr+"/", "")
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("err = %v, want context.DeadlineExceeded", err)
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}

func TestCancel(t *testing.T) {
	addr := rawServer(t, stall)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(30*time.Millisecond, cancel)
	_, _, err := doCtx(t, ctx, newTransport(t, nil), "GET", "http://"+addr+"/", "")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	// Already cancelled: fails before dialling.
	if _, _, err := doCtx(t, ctx, newTransport(t, nil), "GET", "http://"+addr+"/", ""); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestConnectionRefused(t *testing.T) {
	_, _, err := do(t, newTransport(t, nil), "GET", "http://"+freeaddr.Loopback(t)+"/", "")
	var op *net.OpError
	if !errors.Is(err, syscall.ECONNREFUSED) || !errors.As(err, &op) {
		t.Fatalf("err = %v (%T), want ECONNREFUSED in a *net.OpError", err, err)
	}
}

func TestMaxConnsPerHost(t *testing.T) {
	const limit, workers, each = 3, 12, 4
	srv := newCountServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(2 * time.Millisecond)
		io.WriteString(w, "ok")
	}))
	tr := newTransport(t, &Transport{MaxConnsPerHost: limit})
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for range workers {
		wg.Go(func() {
			for range each {
				if _, body, err := do(t, tr, "GET", srv.URL, ""); err != nil || body != "ok" {
					errs <- errors.Join(err, errors.New("body "+body))
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if p := srv.peak.Load(); p > limit {
		t.Errorf("peak of %d connections, want at most %d", p, limit)
	}
}

func TestMaxConnsWaitRespectsContext(t *testing.T) {
	srv := newCountServer(t, bodiesHandler())
	tr := newTransport(t, &Transport{MaxConnsPerHost: 1})
	held, err := tr.RoundTrip(mustRequest(t, "GET", srv.URL+"/length")) // body unread: conn busy
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	if _, _, err := doCtx(t, ctx, tr, "GET", srv.URL+"/length", ""); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want context.DeadlineExceeded", err)
	}
	done := make(chan error, 1)
	go func() { _, _, err := do(t, tr, "GET", srv.URL+"/length", ""); done <- err }()
	time.Sleep(10 * time.Millisecond) // let it queue
	held.Body.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n := srv.opened.Load(); n != 1 {
		t.Errorf("%d connections, want 1 (handed over)", n)
	}
}

// A connection closed while others wait passes its slot on.
func TestMaxConnsSlotHandOver(t *testing.T) {
	srv := newCountServer(t, bodiesHandler())
	tr := newTransport(t, &Transport{MaxConnsPerHost: 1})
	held, err := tr.RoundTrip(mustRequest(t, "GET", srv.URL+"/big"))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { _, _, err := do(t, tr, "GET", srv.URL+"/length", ""); done <- err }()
	time.Sleep(10 * time.Millisecond)
	held.Body.Close() // too much left to drain: closed
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n := srv.opened.Load(); n != 2 {
		t.Errorf("%d connections, want 2", n)
	}
}

type recorder struct{ got []string }

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.got = append(r.got, req.URL.String())
	return &http.Response{StatusCode: 299, Body: http.NoBody, Request: req}, nil
}

func TestFallback(t *testing.T) {
	upgrade := mustRequest(t, "GET", "http://127.0.0.1:1/ws")
	upgrade.Header.Set("Upgrade", "websocket")
	connect := mustRequest(t, "CONNECT", "http://127.0.0.1:1/")
	proxied := mustRequest(t, "GET", "http://127.0.0.1:2/")
	reqs := []*http.Request{mustRequest(t, "GET", "https://127.0.0.1:1/"), upgrade, connect, proxied}
	proxy := func(r *http.Request) (*url.URL, error) {
		if r == proxied {
			return url.Parse("http://proxy:3128")
		}
		return nil, nil
	}
	for _, req := range reqs {
		if _, err := (&Transport{Proxy: proxy}).RoundTrip(req); !errors.Is(err, ErrUnsupported) {
			t.Errorf("%s %s: err = %v, want ErrUnsupported", req.Method, req.URL, err)
		}
	}
	rec := &recorder{}
	tr := &Transport{Proxy: proxy, Fallback: rec}
	for _, req := range reqs {
		if resp, err := tr.RoundTrip(req); err != nil || resp.StatusCode != 299 {
			t.Errorf("%s %s: not passed to Fallback: %v", req.Method, req.URL, err)
		}
	}
}

// Requests timing out while they wait, dial, write or read must all give
// their connection or slot back: afterwards every open connection is idle.
func TestPoolAccountingUnderCancellation(t *testing.T) {
	var n atomic.Int64
	srv := newCountServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(time.Duration(n.Add(1)%4) * time.Millisecond)
		io.WriteString(w, "ok")
	}))
	tr := newTransport(t, &Transport{MaxConnsPerHost: 2})
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 10 {
				timeout := time.Duration(1+(g+i)%4) * time.Millisecond
				ctx, cancel := context.WithTimeout(context.Background(), timeout)
				doCtx(t, ctx, tr, "GET", srv.URL, "")
				cancel()
			}
		})
	}
	wg.Wait()
	p := tr.pool(mustRequest(t, "GET", srv.URL).URL)
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.conns != len(p.idle) || len(p.waiters) != 0 || p.conns > 2 {
		t.Errorf("%d connections, %d idle, %d waiters", p.conns, len(p.idle), len(p.waiters))
	}
}
