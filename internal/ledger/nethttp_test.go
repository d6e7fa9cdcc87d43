package ledger_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/surge-dev/surge/internal/ledger"
	"github.com/surge-dev/surge/transport"
)

// netHTTPCell sends the cell's requests with a stock net/http client, the
// reference the lean client is held to, and counts each hop as Surge
// does: a status once its body is read whole, an error kind otherwise.
// Its counts must agree with its own ledger too, which checks the
// ledger's idea of what a careful client reports.
func netHTTPCell(t *testing.T, b ledger.Behaviour) counts {
	srv := startServer(t, b)
	rec := &hopRecorder{rt: http.DefaultTransport.(*http.Transport).Clone()}
	rec.c = counts{codes: map[int]int64{}, kinds: map[string]int64{}}
	client := &http.Client{Transport: rec}
	defer client.CloseIdleConnections()
	var ids atomic.Int64
	var wg sync.WaitGroup
	for range users(b) { // as many as the closed model's users
		wg.Go(func() {
			for id := ids.Add(1); id <= requests(b); id = ids.Add(1) {
				fetch(client, b, srv.URL+"/r", id)
				time.Sleep(b.Spacing)
			}
		})
	}
	wg.Wait()
	srv.Close()
	want, _ := fromLedger(srv.Entries())
	if !rec.c.equal(want) {
		t.Errorf("net/http counted %v; its ledger says %v", rec.c, want)
	}
	return rec.c
}

func fetch(client *http.Client, b ledger.Behaviour, target string, id int64) {
	timeout := b.Timeout
	if timeout == 0 {
		timeout = 2 * time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	method := b.Method
	if method == "" {
		method = http.MethodGet
	}
	var body io.Reader
	if method == http.MethodPost {
		body = bytes.NewReader([]byte(`{"item":1}`))
	}
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		panic(err)
	}
	req.Header.Set(ledger.IDHeader, strconv.FormatInt(id, 10))
	req.Header.Set("User-Agent", "ledger-test")
	resp, err := client.Do(req)
	if err != nil {
		return // counted by the hop recorder
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}

// hopRecorder counts every round trip net/http's client makes, redirect
// hops included.
type hopRecorder struct {
	rt http.RoundTripper
	mu sync.Mutex
	c  counts
}

func (h *hopRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := h.rt.RoundTrip(req)
	if err != nil {
		h.count(0, err)
		return nil, err
	}
	resp.Body = &trackedBody{ReadCloser: resp.Body, rec: h, status: resp.StatusCode}
	return resp, nil
}

func (h *hopRecorder) count(status int, err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.c.requests++
	if err != nil {
		h.c.kinds[transport.Classify(err).String()]++
		return
	}
	h.c.codes[status]++
}

// trackedBody counts its hop when the body ends: a status if it ended
// cleanly, an error kind if reading it failed.
type trackedBody struct {
	io.ReadCloser
	rec    *hopRecorder
	status int
	done   bool
}

func (b *trackedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil && !b.done {
		b.done = true
		if err == io.EOF {
			b.rec.count(b.status, nil)
		} else {
			b.rec.count(0, err)
		}
	}
	return n, err
}

// Close reads what is left first, so that a hop the client drops (a
// redirect's body) is still counted by how it ended.
func (b *trackedBody) Close() error {
	if !b.done {
		io.Copy(io.Discard, b)
	}
	return b.ReadCloser.Close()
}
