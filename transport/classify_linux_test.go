package transport

import (
	"net/http"
	"net/http/httptest"
	"os"
	"syscall"
	"testing"
)

// TestClassifyFileLimit runs out of file descriptors for real: the soft
// limit is lowered to what the process has open, so the next socket fails
// with EMFILE, on the lean client and on net/http alike.
func TestClassifyFileLimit(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer srv.Close()
	rts := map[string]http.RoundTripper{"lean": NewRoundTripper(Config{}), "net/http": New(Config{})}
	for name, rt := range rts {
		var err error
		withFileLimit(t, func() {
			var resp *http.Response
			if resp, err = (&http.Client{Transport: rt}).Get(srv.URL); err == nil {
				resp.Body.Close()
			}
		})
		if got := Classify(err); got != ErrFileLimit || got.String() != "EMFILE" {
			t.Errorf("%s: Classify(%v) = %v, want EMFILE", name, err, got)
		}
	}
}

// withFileLimit runs f with no file descriptor to spare.
func withFileLimit(t *testing.T, f func()) {
	t.Helper()
	var old syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &old); err != nil {
		t.Skip("no RLIMIT_NOFILE:", err)
	}
	// The kernel hands out the lowest free descriptor: with the limit at
	// that number, every descriptor below it is taken.
	null, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	lowest := null.Fd()
	null.Close()
	low := old
	low.Cur = uint64(lowest)
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &low); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &old); err != nil {
			t.Fatal(err)
		}
	}()
	f()
}
