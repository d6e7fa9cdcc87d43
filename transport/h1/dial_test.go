package h1

import (
	"context"
	"net"
	"net/http"
	"runtime"
	"strings"
	"testing"
)

// The dial runs on a goroutine of its own: the stack it grows is not the
// request's, which lives on as an idle VU's stack (see Transport.dial).
func TestDialRunsOffTheRequestsGoroutine(t *testing.T) {
	s := newCountServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	var stack string
	tr := newTransport(t, &Transport{Dial: func(ctx context.Context, network, addr string) (net.Conn, error) {
		buf := make([]byte, 64<<10)
		stack = string(buf[:runtime.Stack(buf, false)])
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}})
	resp, _, err := do(t, tr, "GET", s.URL, "")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("%v, %v", resp, err)
	}
	if stack == "" {
		t.Fatal("the dial hook was not called")
	}
	if strings.Contains(stack, "RoundTrip") || strings.Contains(stack, "hostPool") {
		t.Fatalf("dialled on the request's goroutine:\n%s", stack)
	}
}
