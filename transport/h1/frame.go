package h1

import (
	"net/http"
	"strconv"
)

// bodyKind is how a response body is delimited on the wire.
type bodyKind uint8

const (
	bodyNone       bodyKind = iota
	bodyLength              // Content-Length bytes
	bodyChunked             // Transfer-Encoding: chunked
	bodyUntilClose          // everything until the server closes
)

// frame works out how the body of resp (to a request with method) is
// delimited and fills ContentLength, TransferEncoding and Close. It edits
// the header as net/http does, so that both transports give equal
// responses: Transfer-Encoding moves to resp.TransferEncoding, and
// Content-Length and Trailer go where chunking overrides them.
func frame(resp *http.Response, method string) (bodyKind, error) {
	h := resp.Header
	resp.Close = serverCloses(resp)
	chunked, err := transferEncoding(resp)
	if err != nil {
		return 0, err
	}
	n, err := contentLength(h)
	if err != nil {
		return 0, err
	}
	if chunked {
		resp.TransferEncoding = []string{"chunked"}
		delete(h, "Trailer") // trailers are read and dropped, never reported
	}
	kind, length := framing(resp.StatusCode, method, chunked, n)
	if kind == bodyChunked {
		delete(h, "Content-Length")
	}
	resp.ContentLength = length
	if kind == bodyUntilClose {
		resp.Close = true
	}
	return kind, nil
}

// framing decides how a body is delimited, given the status code, the
// request method, whether it is chunked and its Content-Length (-1:
// absent), and returns the length to report (-1: unknown).
func framing(code int, method string, chunked bool, n int64) (bodyKind, int64) {
	switch {
	case method == http.MethodHead:
		return bodyNone, n
	case code < 200 || code == http.StatusNoContent || code == http.StatusNotModified:
		return bodyNone, 0
	case chunked:
		return bodyChunked, -1
	case n == 0:
		return bodyNone, 0
	case n > 0:
		return bodyLength, n
	}
	return bodyUntilClose, -1
}

// serverCloses reads the Connection field: HTTP/1.1 stays open unless told
// "close", HTTP/1.0 closes unless told "keep-alive". An HTTP/1.1 "close" is
// dropped from the header, as net/http does, leaving it in resp.Close.
func serverCloses(resp *http.Response) bool {
	conn := resp.Header["Connection"]
	if resp.ProtoMinor == 0 {
		return !hasToken(conn, "keep-alive") || hasToken(conn, "close")
	}
	if hasToken(conn, "close") {
		delete(resp.Header, "Connection")
		return true
	}
	return false
}

// transferEncoding accepts only a single "chunked", like nginx and
// net/http: anything else is where request smuggling lives. HTTP/1.0
// had no transfer codings, so the field is ignored there.
func transferEncoding(resp *http.Response) (bool, error) {
	te, ok := resp.Header["Transfer-Encoding"]
	if !ok {
		return false, nil
	}
	delete(resp.Header, "Transfer-Encoding")
	if resp.ProtoMinor == 0 {
		return false, nil
	}
	if len(te) != 1 || !equalFold(te[0], "chunked") {
		return false, malformed("unsupported Transfer-Encoding " + strconv.Quote(te[0]))
	}
	return true, nil
}

// contentLength parses the Content-Length field: -1 when absent. Repeated
// fields must agree and are folded into one.
func contentLength(h http.Header) (int64, error) {
	cl, ok := h["Content-Length"]
	if !ok {
		return -1, nil
	}
	for _, v := range cl[1:] {
		if v != cl[0] {
			return 0, malformed("conflicting Content-Length fields")
		}
	}
	if len(cl) > 1 {
		h["Content-Length"] = cl[:1]
	}
	return parseLength(cl[0])
}

// parseLength accepts digits only: strconv would also take a sign.
func parseLength[T string | []byte](s T) (int64, error) {
	if len(s) == 0 || len(s) > 18 {
		return 0, malformed("bad Content-Length " + strconv.Quote(string(s)))
	}
	var n int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, malformed("bad Content-Length " + strconv.Quote(string(s)))
		}
		n = n*10 + int64(c-'0')
	}
	return n, nil
}
