package h1

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
)

// outgoing says how req's body goes on the wire: the reader to send (nil
// for none) and the Content-Length to announce, -1 meaning chunked.
// A zero ContentLength with a body means "unknown", as in net/http.
func outgoing(req *http.Request) (io.ReadCloser, int64, error) {
	body := req.Body
	if body == http.NoBody {
		body = nil
	}
	switch {
	case body == nil && req.ContentLength > 0:
		return nil, 0, fmt.Errorf("h1: Request.ContentLength=%d with nil Body", req.ContentLength)
	case body == nil:
		return nil, 0, nil
	case len(req.TransferEncoding) > 0 || req.ContentLength <= 0:
		return body, -1, nil
	}
	return body, req.ContentLength, nil
}

// writeHead writes the request line and header fields. keys is scratch
// space for sorting the header names, returned for reuse: sorted fields
// keep the wire bytes stable, which tests and packet captures rely on.
func writeHead(w *bufio.Writer, req *http.Request, length int64, keys []string) ([]string, error) {
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	host := req.Host
	if host == "" {
		host = req.URL.Host
	}
	if !validToken(method) || !validValue(host) {
		return keys, fmt.Errorf("h1: invalid method %q or host %q", method, host)
	}
	w.WriteString(method)
	w.WriteByte(' ')
	writeURI(w, req.URL)
	w.WriteString(" HTTP/1.1\r\nHost: ")
	w.WriteString(host)
	w.WriteString("\r\n")
	keys, err := writeFields(w, req.Header, keys)
	if err != nil {
		return keys, err
	}
	writeFraming(w, method, length)
	if req.Close && req.Header["Connection"] == nil {
		w.WriteString("Connection: close\r\n")
	}
	_, err = w.WriteString("\r\n")
	return keys, err
}

// writeURI writes the request target (origin form) without building the
// string url.URL.RequestURI would allocate.
func writeURI(w *bufio.Writer, u *url.URL) {
	if u.Opaque != "" {
		w.WriteString(u.RequestURI()) // rare enough to let net/url do it
		return
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	w.WriteString(path)
	if u.ForceQuery || u.RawQuery != "" {
		w.WriteByte('?')
		w.WriteString(u.RawQuery)
	}
}

// managed are the fields the transport writes itself from the request's
// other properties; copies in Request.Header are ignored, as in net/http.
func managed(key string) bool {
	switch key {
	case "Host", "Content-Length", "Transfer-Encoding", "Trailer":
		return true
	}
	return false
}

func writeFields(w *bufio.Writer, h http.Header, keys []string) ([]string, error) {
	keys = keys[:0]
	for k := range h {
		if !managed(k) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		if !validToken(k) {
			return keys, fmt.Errorf("h1: invalid header field name %q", k)
		}
		for _, v := range h[k] {
			v = trimOWS(v)
			if !validValue(v) {
				return keys, fmt.Errorf("h1: invalid header field value for %q", k)
			}
			if v == "" && k == "User-Agent" {
				continue // an empty User-Agent means "send none", as in net/http
			}
			w.WriteString(k)
			w.WriteString(": ")
			w.WriteString(v)
			w.WriteString("\r\n")
		}
	}
	return keys, nil
}

// writeFraming announces the body. Methods that normally carry one get an
// explicit zero length so that servers do not wait for a body.
func writeFraming(w *bufio.Writer, method string, length int64) {
	switch {
	case length < 0:
		w.WriteString("Transfer-Encoding: chunked\r\n")
	case length > 0 || method == http.MethodPost || method == http.MethodPut || method == http.MethodPatch:
		w.WriteString("Content-Length: ")
		w.Write(strconv.AppendInt(w.AvailableBuffer(), length, 10))
		w.WriteString("\r\n")
	}
}

// writeBody sends body as announced by length, using buf as scratch for
// chunked encoding.
func writeBody(w *bufio.Writer, body io.Reader, length int64, buf []byte) error {
	if body == nil {
		return nil
	}
	if length < 0 {
		return writeChunked(w, body, buf)
	}
	n, err := copyBody(w, body, length)
	if err != nil {
		return err
	}
	if n < length {
		return fmt.Errorf("h1: ContentLength=%d with Body length %d", length, n)
	}
	// One more read tells a body longer than announced, which would
	// otherwise be silently cut.
	if m, _ := body.Read(buf[:1]); m > 0 {
		return fmt.Errorf("h1: ContentLength=%d with a longer Body", length)
	}
	return nil
}

// copyBody reads up to limit bytes of r straight into w's free buffer
// space, saving the copy through an intermediate buffer.
func copyBody(w *bufio.Writer, r io.Reader, limit int64) (int64, error) {
	var n int64
	for empty := 0; n < limit; {
		if w.Available() == 0 {
			if err := w.Flush(); err != nil {
				return n, err
			}
		}
		buf := w.AvailableBuffer()
		buf = buf[:min(int64(cap(buf)), limit-n)]
		m, err := r.Read(buf)
		w.Write(buf[:m]) // fits: cannot flush
		n += int64(m)
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, fmt.Errorf("h1: reading request body: %w", err)
		}
		if empty = next(empty, m); empty > maxEmptyReads {
			return n, io.ErrNoProgress
		}
	}
	return n, nil
}

const maxEmptyReads = 100

// next counts consecutive empty reads, so that a broken reader returning
// (0, nil) forever cannot spin a goroutine.
func next(empty, n int) int {
	if n > 0 {
		return 0
	}
	return empty + 1
}

func writeChunked(w *bufio.Writer, r io.Reader, buf []byte) error {
	for empty := 0; ; {
		m, err := r.Read(buf)
		if m > 0 {
			w.Write(strconv.AppendInt(w.AvailableBuffer(), int64(m), 16))
			w.WriteString("\r\n")
			w.Write(buf[:m])
			w.WriteString("\r\n")
		}
		if errors.Is(err, io.EOF) {
			_, err = w.WriteString("0\r\n\r\n")
			return err
		}
		if err != nil {
			return fmt.Errorf("h1: reading request body: %w", err)
		}
		if empty = next(empty, m); empty > maxEmptyReads {
			return io.ErrNoProgress
		}
	}
}
