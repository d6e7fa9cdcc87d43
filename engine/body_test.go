package engine

import (
	"bytes"
	"compress/gzip"
	"context"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
	"testing/iotest"
	"time"

	"github.com/surge-dev/surge/schedule"
)

// gzipped compresses n bytes of data repeated, by gzip members of a
// megabyte (a multi-member stream decodes to their concatenation), so
// that a bomb of any size costs little to make.
func gzipped(t *testing.T, n int) []byte {
	t.Helper()
	var member bytes.Buffer
	w, _ := gzip.NewWriterLevel(&member, gzip.BestCompression)
	w.Write(make([]byte, 1<<20))
	w.Close()
	return bytes.Repeat(member.Bytes(), n>>20)
}

// keepOnce runs one VU that fetches url once with keepBody and returns the
// response and the bytes received.
func keepOnce(t *testing.T, url string, maxBody int64) (*Response, int64) {
	t.Helper()
	var got *Response
	res, err := Run(context.Background(), Test{
		Phases:  []schedule.Phase{{Kind: schedule.Constant, ArrivalRate: 1, Duration: time.Second}},
		MaxBody: maxBody,
		Scenarios: []Scenario{{Name: "keep", Run: func(_ context.Context, vu *VU) error {
			req, _ := http.NewRequest("GET", url, nil)
			var err error
			got, err = vu.Do(0, req, true)
			return err
		}}},
		Conns: Shared,
	})
	if err != nil || got == nil {
		t.Fatalf("run: %v, response %v", err, got)
	}
	return got, res.Final.Total.BytesRecv
}

// TestKeptBodyIsBounded fetches bodies larger than the limit, plain and a
// gzip bomb: what is kept is cut at the limit and says so, what came over
// the wire is counted whole, and memory does not grow with the body.
func TestKeptBodyIsBounded(t *testing.T) {
	const limit = 1 << 20
	plain := bytes.Repeat([]byte("x"), 8<<20)
	bomb := gzipped(t, 256<<20)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/bomb" {
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(bomb)
			return
		}
		w.Write(plain)
	}))
	defer srv.Close()
	for _, tt := range []struct {
		path string
		wire int
	}{{"/plain", len(plain)}, {"/bomb", len(bomb)}} {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		resp, recv := keepOnce(t, srv.URL+tt.path, limit)
		runtime.ReadMemStats(&after)
		if len(resp.Body) != limit || !resp.Truncated || recv < int64(tt.wire) {
			t.Errorf("%s: kept %d bytes, truncated %v, %d received; want %d, true, more than %d",
				tt.path, len(resp.Body), resp.Truncated, recv, limit, tt.wire)
		}
		if grew := after.TotalAlloc - before.TotalAlloc; grew > 64<<20 {
			t.Errorf("%s: %d MB allocated for a body kept to %d MB", tt.path, grew>>20, limit>>20)
		}
	}
}

// TestKeptBodyDecoded checks that a kept body is decoded and whole when
// it fits, while the bytes received are the compressed ones.
func TestKeptBodyDecoded(t *testing.T) {
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write([]byte(`{"id": 42}`))
	w.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(gz.Bytes())
	}))
	defer srv.Close()
	resp, recv := keepOnce(t, srv.URL, 0)
	if string(resp.Body) != `{"id": 42}` || resp.Truncated || recv < int64(gz.Len()) || recv > int64(gz.Len())+200 {
		t.Errorf("kept %q (truncated %v), %d bytes received for a %d-byte body", resp.Body, resp.Truncated, recv, gz.Len())
	}
}

// TestKeepUpToSizes reads bodies against every relation of hint, length
// and limit: what is kept never depends on the hint, which only sizes the
// buffer.
func TestKeepUpToSizes(t *testing.T) {
	body := bytes.Repeat([]byte("0123456789"), 100) // 1,000 bytes
	for _, tc := range []struct {
		name        string
		length      int
		limit, hint int64
		keep        int
		truncated   bool
	}{
		{"hint exact", 1000, 4096, 1000, 1000, false},
		{"no hint", 1000, 4096, -1, 1000, false},
		{"hint short of the body", 1000, 4096, 10, 1000, false},
		{"hint past the body", 1000, 4096, 5000, 1000, false},
		{"limit below the body", 1000, 100, 1000, 100, true},
		{"limit exactly the body", 1000, 1000, 1000, 1000, false},
		{"empty body", 0, 4096, 0, 0, false},
		{"declared far more than comes", 1000, DefaultMaxBody, 1 << 40, 1000, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, truncated, err := keepUpTo(iotest.OneByteReader(bytes.NewReader(body[:tc.length])), tc.limit, tc.hint)
			if err != nil || truncated != tc.truncated || !bytes.Equal(got, body[:tc.keep]) {
				t.Fatalf("got %d bytes, truncated %v, err %v; want %d, %v", len(got), truncated, err, tc.keep, tc.truncated)
			}
		})
	}
}

// TestKeepUpToAllocatesOnceWithAHint: a body whose length the head gave
// costs one allocation of about its size.
func TestKeepUpToAllocatesOnceWithAHint(t *testing.T) {
	body := bytes.Repeat([]byte("x"), 170)
	r := bytes.NewReader(body)
	allocs := testing.AllocsPerRun(100, func() {
		r.Reset(body)
		got, _, _ := keepUpTo(r, DefaultMaxBody, int64(len(body)))
		if len(got) != len(body) || cap(got) > len(body)+8 {
			t.Fatalf("kept %d bytes in a buffer of %d", len(got), cap(got))
		}
	})
	if allocs > 1 {
		t.Fatalf("%v allocations per body, want 1", allocs)
	}
}

// TestKeepUpToTrustsNoHugeDeclaredLength: a head that declares a length
// near the limit gets a buffer of maxHint, not of the limit, until the
// bytes come.
func TestKeepUpToTrustsNoHugeDeclaredLength(t *testing.T) {
	got, _, err := keepUpTo(bytes.NewReader([]byte("short")), DefaultMaxBody, DefaultMaxBody)
	if err != nil || string(got) != "short" || cap(got) > maxHint+1 {
		t.Fatalf("kept %q in a buffer of %d bytes, err %v", got, cap(got), err)
	}
}
