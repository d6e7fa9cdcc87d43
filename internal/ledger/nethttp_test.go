package ledger_test

import (
	"bytes"
	"context"
	"io"
	"maps"
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
	if b.Stray && racedOnStrayBytes(rec.c, want) {
		// Net/http's known race, not a miscount of Surge's: hold Surge's
		// cells to the ledger, which surgeCell has already checked.
		t.Logf("net/http read stray bytes as a response: counted %v; its ledger says %v", rec.c, want)
		return want
	}
	if !rec.c.equal(want) {
		t.Errorf("net/http counted %v; its ledger says %v", rec.c, want)
	}
	return rec.c
}

// racedOnStrayBytes says whether got differs from want only as net/http's
// Transport can on a server that writes bytes answering no request: it
// puts a connection back in its pool when a body ends, and another
// request can take it before the connection's reader has looked at the
// stray bytes already buffered; that request then reads them as its
// response (a protocol error) although the server answered it with a
// status. On a busy machine this happens now and then. Surge looks at an
// idle connection before reusing it (transport/h1/idle.go), so its cells
// must match the ledger exactly. At most one request per stray answer
// (every fourth) can be hit.
func racedOnStrayBytes(got, want counts) bool {
	if got.requests != want.requests {
		return false
	}
	for code := range got.codes {
		if _, ok := want.codes[code]; !ok {
			return false
		}
	}
	var moved int64
	for code, n := range want.codes {
		if got.codes[code] > n {
			return false
		}
		moved += n - got.codes[code]
	}
	kinds := maps.Clone(want.kinds)
	kinds["EPROTO"] += moved
	return moved > 0 && moved <= want.requests/4 && maps.Equal(got.kinds, kinds)
}

// TestRacedOnStrayBytes holds the allowance to the one race it excuses.
func TestRacedOnStrayBytes(t *testing.T) {
	c := func(ok200, other int64, kinds map[string]int64) counts {
		codes := map[int]int64{200: ok200}
		if other > 0 {
			codes[408] = other
		}
		n := ok200 + other
		for _, k := range kinds {
			n += k
		}
		return counts{requests: n, codes: codes, kinds: kinds}
	}
	want := c(24, 0, map[string]int64{})
	for _, tc := range []struct {
		name string
		got  counts
		race bool
	}{
		{"one 200 read as stray bytes", c(23, 0, map[string]int64{"EPROTO": 1}), true},
		{"six of them, one per stray answer", c(18, 0, map[string]int64{"EPROTO": 6}), true},
		{"agreeing counts are no race", want, false},
		{"more than one per stray answer", c(17, 0, map[string]int64{"EPROTO": 7}), false},
		{"another kind of error", c(23, 0, map[string]int64{"ECONNRESET": 1}), false},
		{"a status the server never sent", c(23, 1, map[string]int64{}), false},
		{"a request missing", c(23, 0, map[string]int64{}), false},
	} {
		if got := racedOnStrayBytes(tc.got, want); got != tc.race {
			t.Errorf("%s: racedOnStrayBytes(%v, %v) = %v", tc.name, tc.got, want, got)
		}
	}
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
