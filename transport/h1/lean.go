package h1

import (
	"bufio"
	"io"
	"net/http"
)

// leanHead is a response head as Exchange needs it: the framing worked out
// from the fields in place, and the header map only when a client must act
// on a field.
type leanHead struct {
	framed
	status int
	proto  string
	bytes  int64 // head bytes read, interim responses included
	header http.Header
}

// headerMap says when readLean builds a head's header map.
type headerMap uint8

const (
	mapToAct    headerMap = iota // when the client must act on a field (Exchange)
	mapToDecode                  // then, and for a Content-Encoding to undo (OpenBody)
	mapAlways                    // for every head (Open)
)

// readLean is read without the header map: the same checks, limits and
// framing rules, from the fields in p's buffer.
func (p *headParser) readLean(br *bufio.Reader, method string, when headerMap) (leanHead, error) {
	var h leanHead
	p.borrow()
	defer p.giveBack()
	resp := &p.scratch.status // for the status line
	p.left = p.max            // for all the heads, as in read
	for {
		if err := p.readStatus(br, resp); err != nil {
			return h, err
		}
		err := p.readFields(br)
		h.bytes = int64(p.max - p.left)
		if err != nil {
			return h, err
		}
		switch code := resp.StatusCode; {
		case code == http.StatusSwitchingProtocols:
			return h, malformed("101 Switching Protocols without an Upgrade request")
		case code >= 200:
			h.status, h.proto = code, resp.Proto
			return h, p.leanFrame(&h, resp, method, when)
		}
		if err := p.interim(resp, method); err != nil {
			return h, err
		}
	}
}

// leanFrame fills h's framing. A head with Set-Cookie, or a 3xx with
// Location, gets its header map and goes through frame itself; so does
// every head the caller wants the map of (see headerMap). Any 3xx, not
// only those net/http follows (IsRedirect): scripts follow 300 and 304
// too, as Artillery does.
func (p *headParser) leanFrame(h *leanHead, resp *http.Response, method string, when headerMap) error {
	if p.wantsMap(h.status, when) {
		h.header = p.header()
		resp.Header = h.header
		kind, err := p.frame(resp, method)
		h.framed = framed{kind: kind, length: resp.ContentLength, closes: resp.Close}
		resp.Header = nil
		return err
	}
	var err error
	h.framed, err = p.frameFields(h.status, resp.ProtoMinor, method)
	return err
}

func (p *headParser) wantsMap(status int, when headerMap) bool {
	return when == mapAlways || p.has("Set-Cookie") || (status/100 == 3 && p.has("Location")) ||
		(when == mapToDecode && p.has("Content-Encoding"))
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
