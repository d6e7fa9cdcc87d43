package h1

import (
	"bytes"
	"math"
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

// framed is how a response body is delimited, worked out from the head's
// fields.
type framed struct {
	kind    bodyKind
	length  int64 // Content-Length to report; -1 unknown
	closes  bool  // the connection cannot be reused after this response
	chunked bool
}

// frameFields works out the framing from the fields in p's buffer: the one
// reading of Connection, Transfer-Encoding and Content-Length that both
// the full head (read) and the lean one (readLean) go through.
func (p *headParser) frameFields(code, minor int, method string) (framed, error) {
	closes := p.serverCloses(minor)
	chunked, err := p.chunked(minor)
	if err != nil {
		return framed{}, err
	}
	n, err := p.contentLength()
	if err != nil {
		return framed{}, err
	}
	if chunked {
		if err := p.trailerField(); err != nil {
			return framed{}, err
		}
	}
	kind, length := framing(code, method, chunked, n)
	return framed{kind: kind, length: length, closes: closes || kind == bodyUntilClose, chunked: chunked}, nil
}

// frame fills resp's ContentLength, TransferEncoding and Close, and edits
// resp.Header (built from the same fields) as net/http does, so that both
// transports give equal responses: Transfer-Encoding moves to
// resp.TransferEncoding, an HTTP/1.1 (or later) "Connection: close" to
// resp.Close, repeated Content-Length fields fold into one, Content-Length
// and Trailer go where chunking overrides them, and Pragma: no-cache adds
// Cache-Control.
func (p *headParser) frame(resp *http.Response, method string) (bodyKind, error) {
	f, err := p.frameFields(resp.StatusCode, resp.ProtoMinor, method)
	if err != nil {
		return 0, err
	}
	h := resp.Header
	if resp.ProtoMinor >= 1 && hasToken(h["Connection"], "close") {
		delete(h, "Connection")
	}
	delete(h, "Transfer-Encoding")
	// A Pragma: no-cache without Cache-Control reads as Cache-Control:
	// no-cache (RFC 7234 section 5.4), which net/http adds to the header.
	if pragma := h["Pragma"]; len(pragma) > 0 && pragma[0] == "no-cache" && h["Cache-Control"] == nil {
		h["Cache-Control"] = []string{"no-cache"}
	}
	if cl := h["Content-Length"]; len(cl) > 1 {
		h["Content-Length"] = cl[:1]
	}
	if f.chunked {
		resp.TransferEncoding = []string{"chunked"}
		delete(h, "Trailer") // trailers are read and dropped, never reported
		if f.kind == bodyChunked {
			delete(h, "Content-Length")
		}
	}
	resp.ContentLength, resp.Close = f.length, f.closes
	return f.kind, nil
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

// values returns the values of the fields named key (canonical form); the
// slices point into p.buf and last until the next head is read.
func (p *headParser) values(key string) [][]byte {
	p.vals = p.vals[:0]
	for _, f := range p.fields {
		if string(p.buf[f.key:f.val]) == key {
			p.vals = append(p.vals, p.buf[f.val:f.end])
		}
	}
	return p.vals
}

func (p *headParser) has(key string) bool {
	for _, f := range p.fields {
		if string(p.buf[f.key:f.val]) == key {
			return true
		}
	}
	return false
}

// serverCloses reads the Connection field: HTTP/1.1 stays open unless told
// "close", HTTP/1.0 closes unless told "keep-alive".
func (p *headParser) serverCloses(minor int) bool {
	conn := p.values("Connection")
	if minor == 0 {
		return !hasToken(conn, "keep-alive") || hasToken(conn, "close")
	}
	return hasToken(conn, "close")
}

// chunked accepts only a single "chunked" Transfer-Encoding, like nginx
// and net/http: anything else is where request smuggling lives. HTTP/1.0
// had no transfer codings, so the field is ignored there.
func (p *headParser) chunked(minor int) (bool, error) {
	te := p.values("Transfer-Encoding")
	if len(te) == 0 || minor == 0 {
		return false, nil
	}
	if len(te) != 1 || !equalFold(te[0], "chunked") {
		return false, malformed("unsupported Transfer-Encoding " + strconv.Quote(string(te[0])))
	}
	return true, nil
}

// trailerField checks the Trailer field of a chunked head, as net/http
// does whether or not a body follows: it may not announce the fields that
// frame the message (RFC 9110 section 6.5.1), which a trailer would
// otherwise seem to change after the body.
func (p *headParser) trailerField() error {
	names := p.values("Trailer")
	if len(names) == 0 {
		return nil
	}
	for _, framing := range [...]string{"Transfer-Encoding", "Trailer", "Content-Length"} {
		if hasToken(names, framing) {
			return malformed("Trailer field announces " + framing)
		}
	}
	return nil
}

// contentLength parses the Content-Length field: -1 when absent. Repeated
// fields must agree.
func (p *headParser) contentLength() (int64, error) {
	cl := p.values("Content-Length")
	if len(cl) == 0 {
		return -1, nil
	}
	for _, v := range cl[1:] {
		if !bytes.Equal(v, cl[0]) {
			return 0, malformed("conflicting Content-Length fields")
		}
	}
	return parseLength(cl[0])
}

// parseLength accepts digits only (strconv would also take a sign), as
// many as net/http takes: any number of leading zeros, and values up to
// the largest int64, which no body reaches but a server may announce.
func parseLength[T string | []byte](s T) (int64, error) {
	if len(s) == 0 {
		return 0, malformed("bad Content-Length " + strconv.Quote(string(s)))
	}
	var n int64
	for i := 0; i < len(s); i++ {
		d := s[i] - '0' // wraps past 9 for bytes below '0'
		// 18 digits cannot overflow: the division waits until then.
		if d > 9 || (i >= 18 && n > (math.MaxInt64-int64(d))/10) {
			return 0, malformed("bad Content-Length " + strconv.Quote(string(s)))
		}
		n = n*10 + int64(d)
	}
	return n, nil
}
