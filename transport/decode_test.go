package transport

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/zstd"
	"github.com/surge-dev/surge/metrics"
)

// encode compresses data with the real encoder for coding.
func encode(t testing.TB, coding string, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	var w io.WriteCloser
	switch coding {
	case "gzip":
		w = gzip.NewWriter(&buf)
	case "zlib":
		w = zlib.NewWriter(&buf)
	case "raw deflate":
		w, _ = flate.NewWriter(&buf, flate.DefaultCompression)
	case "br":
		w = brotli.NewWriter(&buf)
	case "zstd":
		var err error
		if w, err = zstd.NewWriter(&buf); err != nil {
			t.Fatal(err)
		}
	default:
		t.Fatalf("no encoder for %s", coding)
	}
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func decodeAll(body []byte, contentEncoding ...string) ([]byte, error) {
	r, done, err := Decode(bytes.NewReader(body), contentEncoding)
	if err != nil {
		return nil, err
	}
	defer done()
	return io.ReadAll(r)
}

func TestDecode(t *testing.T) {
	data := []byte(strings.Repeat("the same words again and again ", 1000))
	tests := []struct{ header, coding string }{
		{"gzip", "gzip"},
		{"x-gzip", "gzip"},
		{"deflate", "zlib"},
		{"deflate", "raw deflate"},
		{"br", "br"},
		{"zstd", "zstd"},
		{"GZip", "gzip"},
	}
	for _, tt := range tests {
		for range 2 { // the second time from the pools
			got, err := decodeAll(encode(t, tt.coding, data), tt.header)
			if err != nil || !bytes.Equal(got, data) {
				t.Errorf("%s (%s): %d bytes, %v; want %d bytes", tt.header, tt.coding, len(got), err, len(data))
			}
		}
	}
	stacked := encode(t, "br", encode(t, "gzip", data))
	if got, err := decodeAll(stacked, "gzip, identity", "br"); err != nil || !bytes.Equal(got, data) {
		t.Errorf("gzip then br: %d bytes, %v", len(got), err)
	}
}

func TestDecodeLeavesAlone(t *testing.T) {
	gz := encode(t, "gzip", []byte("hello"))
	tests := []struct {
		name   string
		body   []byte
		header []string
	}{
		{"no coding", []byte("plain"), nil},
		{"identity", []byte("plain"), []string{"identity"}},
		{"unknown coding", gz, []string{"compress"}},
		{"one unknown of two", gz, []string{"gzip, snappy"}},
		{"empty body", nil, []string{"gzip"}},
	}
	for _, tt := range tests {
		got, err := decodeAll(tt.body, tt.header...)
		if err != nil || !bytes.Equal(got, tt.body) {
			t.Errorf("%s: %q, %v; want the body as it is", tt.name, got, err)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	gz := encode(t, "gzip", []byte(strings.Repeat("x", 1000)))
	for _, tt := range []struct {
		name, coding string
		body         []byte
	}{
		{"not gzip", "gzip", []byte("plain text")},
		{"cut gzip", "gzip", gz[:len(gz)/2]},
		{"not br", "br", []byte("plain text, long enough to be read as a stream")},
		{"not zstd", "zstd", []byte("plain text")},
		{"not deflate", "deflate", []byte{0xff, 0xff, 0xff}},
	} {
		_, err := decodeAll(tt.body, tt.coding)
		if !errors.Is(err, ErrContentEncoding) || Classify(err) != metrics.ErrProtocol {
			t.Errorf("%s: err = %v (%v), want a Content-Encoding error counted as EPROTO", tt.name, err, Classify(err))
		}
	}
	// The body's own failure is not the decoder's.
	cut := io.MultiReader(bytes.NewReader(gz[:len(gz)/2]), iotest.ErrReader(io.ErrUnexpectedEOF))
	r, done, err := Decode(cut, []string{"gzip"})
	if err == nil {
		_, err = io.ReadAll(r)
		done()
	}
	if !errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, ErrContentEncoding) {
		t.Errorf("a body cut short: err = %v, want io.ErrUnexpectedEOF as it is", err)
	}
}

// TestDecodeBomb checks that decoding streams: a gigabyte of zeros packed
// into a few hundred kilobytes is decoded only as far as the caller reads,
// in memory that does not grow with it.
func TestDecodeBomb(t *testing.T) {
	const read = 1 << 20
	bombs := map[string][]byte{
		// gzip members and zstd frames may follow one another: a
		// megabyte's worth, repeated, is a bomb of any size.
		"gzip": bytes.Repeat(encode(t, "gzip", make([]byte, 1<<20)), 1024),
		"zstd": bytes.Repeat(encode(t, "zstd", make([]byte, 1<<20)), 1024),
		"br":   encode(t, "br", make([]byte, 4<<20)),
	}
	for coding, bomb := range bombs {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		r, done, err := Decode(bytes.NewReader(bomb), []string{coding})
		if err != nil {
			t.Fatal(err)
		}
		n, err := io.Copy(io.Discard, io.LimitReader(r, read))
		done()
		runtime.ReadMemStats(&after)
		// The decoders' windows: 32 kB (gzip), 8 MB (zstd), 16 MB (br).
		if grew := after.TotalAlloc - before.TotalAlloc; err != nil || n != read || grew > 40<<20 {
			t.Errorf("%s: read %d, %v, allocated %d bytes; want %d read in bounded memory", coding, n, err, grew, read)
		}
	}
}

// TestSameEncodingOnBothPaths checks that neither transport adds an
// Accept-Encoding of its own or decodes a body behind the caller's back.
func TestSameEncodingOnBothPaths(t *testing.T) {
	gz := encode(t, "gzip", []byte("hello"))
	var seen []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, strings.Join(r.Header.Values("Accept-Encoding"), "|"))
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(gz)
	}))
	defer srv.Close()
	for name, rt := range map[string]http.RoundTripper{"lean": NewRoundTripper(Config{}), "net/http": New(Config{})} {
		seen = nil
		for _, accept := range []string{"", "gzip"} {
			req, _ := http.NewRequest("GET", srv.URL, nil)
			if accept != "" {
				req.Header.Set("Accept-Encoding", accept)
			}
			resp, err := rt.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if !bytes.Equal(body, gz) || resp.Header.Get("Content-Encoding") != "gzip" {
				t.Errorf("%s, Accept-Encoding %q: body %q, Content-Encoding %q; want the gzip bytes as sent", name, accept, body, resp.Header.Get("Content-Encoding"))
			}
		}
		if want := []string{"", "gzip"}; !slices.Equal(seen, want) {
			t.Errorf("%s: the server saw Accept-Encoding %q, want %q", name, seen, want)
		}
	}
}
