package engine

import (
	"bytes"
	"io"
	"net/http"

	"github.com/surge-dev/surge/transport"
)

// DefaultMaxBody is how much of a response body is kept for captures and
// checks when Test.MaxBody is zero: enough for any API response a script
// parses, and a bound on memory when many VUs fetch large bodies (six
// 200 MB downloads once took 2 GB).
const DefaultMaxBody = 10 << 20

// readBody reads a response body to its end and returns the bytes that came
// over the wire for it (before decoding). With keep the body is decoded
// into resp.Body, at most limit bytes of it; past that resp.Truncated is
// set and the rest is read, counted and dropped, so that a decompression
// bomb or a huge download costs no memory. Otherwise the body is only
// counted.
func readBody(body io.Reader, header http.Header, resp *Response, keep bool, limit int64) (int64, error) {
	if !keep {
		return io.Copy(io.Discard, body) // Discard reads through a pooled buffer
	}
	wire := &countingReader{r: body}
	dec, done, err := transport.Decode(wire, header.Values("Content-Encoding"))
	if err == nil {
		resp.Body, resp.Truncated, err = keepUpTo(dec, limit)
		done()
	}
	if err == nil {
		_, err = io.Copy(io.Discard, wire) // what the decoder left, or past the limit
	}
	return wire.n, err
}

// keepUpTo reads r into memory up to limit bytes, and reports whether
// there was more.
func keepUpTo(r io.Reader, limit int64) ([]byte, bool, error) {
	var buf bytes.Buffer
	n, err := buf.ReadFrom(io.LimitReader(r, limit+1))
	if err != nil {
		return buf.Bytes(), false, err
	}
	if n > limit {
		return buf.Bytes()[:limit], true, nil
	}
	return buf.Bytes(), false, nil
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
