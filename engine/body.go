package engine

import (
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
// counted. length is the body's length as the head declared it (-1: not
// declared): it sizes the buffer.
func readBody(body io.Reader, header http.Header, length int64, resp *Response, keep bool, limit int64) (int64, error) {
	if !keep {
		return io.Copy(io.Discard, body) // Discard reads through a pooled buffer
	}
	wire := &countingReader{r: body}
	encodings := header.Values("Content-Encoding")
	dec, done, err := transport.Decode(wire, encodings)
	if err == nil {
		resp.Body, resp.Truncated, err = keepUpTo(dec, limit, sizeHint(length, encodings))
		done()
	}
	if err == nil {
		_, err = io.Copy(io.Discard, wire) // what the decoder left, or past the limit
	}
	return wire.n, err
}

// sizeHint is the length of the body as it will be kept, when the head
// gave it (length, -1 for none) and there is no encoding to undo, or -1.
func sizeHint(length int64, encodings []string) int64 {
	if len(encodings) > 0 {
		return -1
	}
	return length
}

// maxHint is the most a declared length makes keepUpTo allocate at once.
const maxHint = 64 << 10

// keepUpTo reads r into memory up to limit bytes, and reports whether
// there was more. With a hint of the length (-1: none) the buffer is made
// that size plus the byte that finds the end, once: growing from
// bytes.Buffer's 512 bytes took two allocations, 2 KB, for a 170-byte
// JSON reply, the largest part of what a scripted request allocated.
func keepUpTo(r io.Reader, limit, hint int64) ([]byte, bool, error) {
	size := int64(512)
	if hint >= 0 {
		// A head may declare more than comes (a HEAD's, a liar's): past
		// maxHint the buffer grows with what does come.
		size = min(hint, limit, maxHint) + 1
	}
	buf := make([]byte, 0, size)
	lr := io.LimitedReader{R: r, N: limit + 1}
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := lr.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return buf, false, err
		}
	}
	if int64(len(buf)) > limit {
		return buf[:limit], true, nil
	}
	return buf, false, nil
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
