//go:build linux

package h1

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/surge-dev/surge/internal/blackhole"
)

// The dial timeout is long; the request's timeout must end the dial and
// the wait for a connection long before it. The bounds on the time taken
// are loose on purpose (half the dial timeout): only a request that
// waited for the dial timeout, or forever, takes longer.
const (
	longDial       = 20 * time.Second
	requestTimeout = 100 * time.Millisecond
)

// TestTimeoutBoundsDial sends a request to a server whose accept queue
// is full, on both paths.
func TestTimeoutBoundsDial(t *testing.T) {
	url := "http://" + blackhole.Addr(t) + "/"
	tr := newTransport(t, &Transport{DialTimeout: longDial})
	check := func(path string, send func() error) {
		t.Helper()
		start := time.Now()
		err := send()
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s: err = %v, want the request's timeout", path, err)
		}
		if d := time.Since(start); d > longDial/2 {
			t.Errorf("%s: took %v: the dial timeout, not the request's", path, d)
		}
	}
	check("Exchange", func() error {
		_, err := tr.Exchange(context.Background(), prepared(t, "GET", url, "", nil), time.Time{}, requestTimeout)
		return err
	})
	check("RoundTrip", func() error {
		ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
		defer cancel()
		_, _, err := doCtx(t, ctx, tr, "GET", url, "")
		return err
	})
}

// TestTimeoutBoundsWait sends a request while the one connection
// MaxConnsPerHost allows is busy with a server that never answers.
func TestTimeoutBoundsWait(t *testing.T) {
	url := "http://" + rawServer(t, stall) + "/"
	tr := newTransport(t, &Transport{MaxConnsPerHost: 1, DialTimeout: longDial})
	busy, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, err := http.NewRequestWithContext(busy, "GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	go tr.RoundTrip(req)
	waitFor(t, "the connection to be taken", func() bool {
		p := tr.pool(mustRequest(t, "GET", url).URL)
		p.mu.Lock()
		defer p.mu.Unlock()
		return p.conns == 1
	})
	safety, stop := context.WithTimeout(context.Background(), longDial)
	defer stop()
	start := time.Now()
	_, err = tr.Exchange(safety, prepared(t, "GET", url, "", nil), time.Time{}, requestTimeout)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > longDial/2 {
		t.Errorf("Exchange: err = %v after %v, want the request's timeout", err, time.Since(start))
	}
}

// TestDialTimeoutBoundsExchange is the other way round: a short dial
// timeout ends the dial of a request whose own timeout is long (the two
// bounds share one context).
func TestDialTimeoutBoundsExchange(t *testing.T) {
	url := "http://" + blackhole.Addr(t) + "/"
	tr := newTransport(t, &Transport{DialTimeout: requestTimeout})
	start := time.Now()
	_, err := tr.Exchange(context.Background(), prepared(t, "GET", url, "", nil), time.Time{}, longDial)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > longDial/2 {
		t.Errorf("err = %v after %v, want the dial timeout's", err, time.Since(start))
	}
}
