package transport

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/surge-dev/surge/internal/hangup"
)

// Over TLS, requests go through net/http, which sends a GET again when
// the connection it reused is lost: the server then counts what the
// caller sent plus what was counted as sent again, no more.
func TestResentCountsNetHTTPsSecondAttempts(t *testing.T) {
	var handled, resent atomic.Int64
	srv := httptest.NewTLSServer(hangup.OnSecond(&handled))
	defer srv.Close()
	for _, perVU := range []bool{false, true} {
		handled.Store(0)
		resent.Store(0)
		c := Config{Insecure: true, Resent: &resent}
		rt := NewRoundTripper(c)
		if perVU {
			rt = PerVU(c)()
		}
		client := &http.Client{Transport: rt}
		const sent = 6
		for range sent {
			resp, err := client.Get(srv.URL)
			if err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}
		client.CloseIdleConnections()
		if resent.Load() == 0 || handled.Load() != sent+resent.Load() {
			t.Errorf("per VU %v: the server handled %d requests; %d were sent and %d counted as sent again",
				perVU, handled.Load(), sent, resent.Load())
		}
	}
}
