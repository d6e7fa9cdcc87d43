package h1

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"strconv"
)

// leanHead is a response head as Exchange needs it: the framing worked out
// from the fields in place, and the header map only when a client must act
// on a field.
type leanHead struct {
	status int
	kind   bodyKind
	length int64 // Content-Length for bodyLength
	closes bool  // the connection cannot be reused afterwards
	bytes  int64 // head bytes read, interim responses included
	header http.Header
}

// readLean is read without the header map: the same checks, limits and
// framing rules, from the fields in p's buffer. resp is scratch space for
// the status line.
func (p *headParser) readLean(br *bufio.Reader, resp *http.Response, method string) (leanHead, error) {
	var h leanHead
	for range maxInterim {
		p.left = p.max
		if err := p.readStatus(br, resp); err != nil {
			return h, err
		}
		err := p.readFields(br)
		h.bytes += int64(p.max - p.left)
		if err != nil {
			return h, err
		}
		switch code := resp.StatusCode; {
		case code == http.StatusSwitchingProtocols:
			return h, malformed("101 Switching Protocols without an Upgrade request")
		case code >= 200:
			h.status = code
			return h, p.leanFrame(&h, resp, method)
		}
	}
	return h, malformed("too many 1xx responses")
}

// leanFrame fills h's framing. A head with Set-Cookie, or a redirect with
// Location, gets its header map and goes through frame itself.
func (p *headParser) leanFrame(h *leanHead, resp *http.Response, method string) error {
	if p.has("Set-Cookie") || (IsRedirect(h.status) && p.has("Location")) {
		h.header = p.header()
		resp.Header = h.header
		kind, err := frame(resp, method)
		h.kind, h.length, h.closes = kind, resp.ContentLength, resp.Close
		resp.Header = nil
		return err
	}
	h.closes = p.serverCloses(resp.ProtoMinor)
	chunked, err := p.chunked(resp.ProtoMinor)
	if err != nil {
		return err
	}
	n, err := p.contentLength()
	if err != nil {
		return err
	}
	h.kind, h.length = framing(h.status, method, chunked, n)
	h.closes = h.closes || h.kind == bodyUntilClose
	return nil
}

// IsRedirect reports the status codes a client follows (net/http's set).
func IsRedirect(code int) bool {
	switch code {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
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

// serverCloses is the function of the same name, on the fields.
func (p *headParser) serverCloses(minor int) bool {
	conn := p.values("Connection")
	if minor == 0 {
		return !hasToken(conn, "keep-alive") || hasToken(conn, "close")
	}
	return hasToken(conn, "close")
}

// chunked is transferEncoding, on the fields.
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

// contentLength is the function of the same name, on the fields.
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

// discard reads the rest of the body and drops it; like Read, it hands the
// connection back at the end or closes it on error.
func (b *body) discard() (int64, error) {
	return io.Copy(io.Discard, b)
}

// unexpected turns an early end of stream into io.ErrUnexpectedEOF.
func unexpected(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}
