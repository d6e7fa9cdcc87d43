package h1

import (
	"bufio"
	"net/http"
	"strings"
	"testing"
)

// A parser lends its working space back after every head, read whole,
// read lean, or refused: a connection waiting for its next response holds
// none of it, and the next head reads correctly from a scratch another
// parser used.
func TestHeadParserHoldsNoBuffersBetweenHeads(t *testing.T) {
	heads := []struct {
		name, raw string
		lean, ok  bool
	}{
		{"whole", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX-A: 1\r\n\r\n", false, true},
		{"lean", "HTTP/1.1 204 No Content\r\nX-B: 2\r\n\r\n", true, true},
		{"refused", "HTTP/1.1 200 OK\r\nBad Field\r\n\r\n", false, false},
		{"long line", "HTTP/1.1 200 OK\r\nX-Long: " + strings.Repeat("v", 20<<10) + "\r\nContent-Length: 0\r\n\r\n", true, true},
	}
	for _, h := range heads {
		p := headParser{max: 64 << 10}
		br := bufio.NewReaderSize(strings.NewReader(h.raw), 4096)
		var resp http.Response
		var err error
		if h.lean {
			_, err = p.readLean(br, "GET", mapToAct)
		} else {
			_, err = p.read(br, &resp, "GET")
		}
		if (err == nil) != h.ok {
			t.Errorf("%s: error %v", h.name, err)
		}
		if p.buf != nil || p.fields != nil || p.vals != nil || p.scratch != nil {
			t.Errorf("%s: the parser still holds its scratch: buf %d, fields %d, vals %d",
				h.name, cap(p.buf), cap(p.fields), cap(p.vals))
		}
		if cap(p.long) > maxKeptScratch {
			t.Errorf("%s: the parser kept a %d-byte line buffer", h.name, cap(p.long))
		}
	}
	resp, _, err := parse("HTTP/1.1 200 OK\r\nX-C: three\r\nContent-Length: 0\r\n\r\n", "GET", 4096)
	if err != nil || resp.Header.Get("X-C") != "three" || len(resp.Header) != 2 {
		t.Fatalf("head after lent scratches: %v, %v", resp, err)
	}
}

// A scratch is weighed by all it holds: many short fields make a small
// buf but a large fields slice.
func TestKeptSizeCountsEverySlice(t *testing.T) {
	if n := keptSize(make([]byte, 0, 256), make([]field, 0, 8), nil); n > maxKeptScratch {
		t.Errorf("a typical head's scratch weighs %d, past %d", n, maxKeptScratch)
	}
	if n := keptSize(make([]byte, 0, 4096), make([]field, 0, 2048), nil); n <= maxKeptScratch {
		t.Errorf("2,048 fields in a 4 KB buf weigh %d, not past %d", n, maxKeptScratch)
	}
	if n := keptSize(nil, nil, make([][]byte, 0, 1024)); n <= maxKeptScratch {
		t.Errorf("1,024 looked-up values weigh %d, not past %d", n, maxKeptScratch)
	}
}
