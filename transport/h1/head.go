package h1

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net/http"
	"strconv"
)

// DefaultMaxResponseHeaderBytes bounds a response head (status line and
// fields) when Transport.MaxResponseHeaderBytes is zero. Servers rarely
// send a tenth of it; a stream that exceeds it is not a sane response.
const DefaultMaxResponseHeaderBytes = 64 << 10

// statusLines holds "200 OK" and its siblings, so that a standard status
// line costs no allocation for Response.Status.
var statusLines = func() (s [600]string) {
	for code := range s {
		if text := http.StatusText(code); text != "" {
			s[code] = strconv.Itoa(code) + " " + text
		}
	}
	return s
}()

// headParser reads response heads. Its buffers are lent to it for each
// head (see borrow), so that a head costs one string (all keys and
// values), one []string and the header map, however many fields it has,
// and a connection between heads holds no buffers.
type headParser struct {
	buf     []byte       // canonical keys and trimmed values, back to back
	fields  []field      // where each one lies in buf
	long    []byte       // a line longer than the read buffer, reassembled
	vals    [][]byte     // scratch for readLean's field look-ups
	scratch *headScratch // where buf, fields and vals came from, while lent
	max     int          // head bytes allowed
	left    int          // head bytes still allowed
}

type field struct{ key, val, end int }

// read parses the response to a request with the given method into resp,
// skipping interim 1xx responses, and says how its body is framed. The
// interim heads and the final one share one budget of p.max bytes, as in
// net/http: it bounds how many there can be. An interim head's framing
// fields are checked as a final head's (see interim).
func (p *headParser) read(br *bufio.Reader, resp *http.Response, method string) (bodyKind, error) {
	p.borrow()
	defer p.giveBack()
	p.left = p.max
	for {
		if err := p.readStatus(br, resp); err != nil {
			return 0, err
		}
		if err := p.readFields(br); err != nil {
			return 0, err
		}
		switch code := resp.StatusCode; {
		case code == http.StatusSwitchingProtocols:
			return 0, malformed("101 Switching Protocols without an Upgrade request")
		case code >= 200:
			resp.Header = p.header()
			return p.frame(resp, method)
		}
		if err := p.interim(resp, method); err != nil {
			return 0, err
		}
	}
}

// interim checks the framing fields of an interim (1xx) head. No body
// follows one, whatever they say, but net/http reads every head's
// framing, and refuses a 1xx whose Content-Length or Transfer-Encoding
// it would refuse in a final head: so does this parser, which never
// accepts what net/http refuses. Only 1xx heads pay for it.
func (p *headParser) interim(resp *http.Response, method string) error {
	_, err := p.frameFields(resp.StatusCode, resp.ProtoMinor, method)
	return err
}

// line returns the next line without its line ending; the slice is valid
// until the next read. Lines longer than the read buffer are reassembled
// in p.long as long as the head stays within its budget.
func (p *headParser) line(br *bufio.Reader) ([]byte, error) {
	b, err := br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		p.long = append(p.long[:0], b...)
		for err == bufio.ErrBufferFull && len(p.long) <= p.left {
			b, err = br.ReadSlice('\n')
			p.long = append(p.long, b...)
		}
		b = p.long
	}
	if p.left -= len(b); p.left < 0 {
		return nil, malformed("response head larger than " + strconv.Itoa(p.max) + " bytes")
	}
	if err != nil {
		if err == io.EOF && len(b) > 0 {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	b = b[:len(b)-1]
	if len(b) > 0 && b[len(b)-1] == '\r' {
		b = b[:len(b)-1]
	}
	return b, nil
}

func (p *headParser) readStatus(br *bufio.Reader, resp *http.Response) error {
	line, err := p.line(br)
	if err != nil {
		if errors.Is(err, io.EOF) {
			return errNoResponse
		}
		return err
	}
	return parseStatus(line, resp)
}

// errNoResponse wraps io.EOF so that it still reads as a closed connection.
var errNoResponse = &noResponseError{}

type noResponseError struct{}

func (*noResponseError) Error() string {
	return "h1: server closed the connection before responding (EOF)"
}
func (*noResponseError) Unwrap() error { return io.EOF }

// parseStatus reads "HTTP/1.1 200 OK" as net/http does: any HTTP/1.x
// version (a later minor version than 1.1 is read as 1.1, RFC 9110
// section 2.5), one or more spaces, a three-digit code and an optional
// reason. Unlike net/http it refuses other major versions and codes
// below 100 (doc.go says why).
func parseStatus(line []byte, resp *http.Response) error {
	if len(line) < len("HTTP/1.1 200") || !bytes.HasPrefix(line, []byte("HTTP/1.")) || line[8] != ' ' {
		return malformedLine("bad status line", line)
	}
	status := line[9:]
	for len(status) > 0 && status[0] == ' ' {
		status = status[1:]
	}
	if len(status) < 3 || (len(status) > 3 && status[3] != ' ') {
		return malformedLine("bad status line", line)
	}
	if err := setVersion(resp, line[:8]); err != nil {
		return err
	}
	code := 0
	for _, c := range status[:3] {
		if c < '0' || c > '9' {
			return malformedLine("bad status code", line)
		}
		code = code*10 + int(c-'0')
	}
	if code < 100 {
		return malformedLine("bad status code", line)
	}
	resp.StatusCode = code
	resp.Status = statusString(code, status)
	return nil
}

// setVersion sets resp's protocol from "HTTP/1.x".
func setVersion(resp *http.Response, version []byte) error {
	switch minor := version[7]; {
	case minor == '1':
		resp.Proto, resp.ProtoMajor, resp.ProtoMinor = "HTTP/1.1", 1, 1
	case minor == '0':
		resp.Proto, resp.ProtoMajor, resp.ProtoMinor = "HTTP/1.0", 1, 0
	case minor >= '2' && minor <= '9':
		resp.Proto, resp.ProtoMajor, resp.ProtoMinor = string(version), 1, int(minor-'0')
	default:
		return malformedLine("unsupported version in status line", version)
	}
	return nil
}

func statusString(code int, status []byte) string {
	if code < len(statusLines) && string(status) == statusLines[code] {
		return statusLines[code]
	}
	return string(status)
}

func (p *headParser) readFields(br *bufio.Reader) error {
	p.buf, p.fields = p.buf[:0], p.fields[:0]
	for {
		line, err := p.line(br)
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		if err != nil {
			return err
		}
		if len(line) == 0 {
			return nil
		}
		if line[0] == ' ' || line[0] == '\t' {
			err = p.fold(line)
		} else {
			err = p.addField(line)
		}
		if err != nil {
			return err
		}
	}
}

// fold joins an obsolete folded line (obs-fold: one starting with white
// space) to the field before it. RFC 9112 section 5.2 lets a client
// replace each fold with a space; net/http does so, trimming the line, and
// so does this parser, to read the same value. A fold before any field
// has nothing to continue and is rejected, as in net/http.
func (p *headParser) fold(line []byte) error {
	if len(p.fields) == 0 {
		return malformedLine("folded line before any field", line)
	}
	more := trimOWS(line)
	if !validValue(more) {
		return malformedLine("bad header value", line)
	}
	f := &p.fields[len(p.fields)-1] // its value ends p.buf
	if f.end > f.val {
		p.buf = append(p.buf, ' ')
	}
	p.buf = append(p.buf, more...)
	f.end = len(p.buf)
	return nil
}

// addField copies one "Key: value" line into p.buf. A key must be a token
// right up to the colon: this rejects white space before the colon, an
// old request-smuggling device.
func (p *headParser) addField(line []byte) error {
	colon := bytes.IndexByte(line, ':')
	if colon < 0 || !validToken(line[:colon]) {
		return malformedLine("bad header line", line)
	}
	val := trimOWS(line[colon+1:])
	if !validValue(val) {
		return malformedLine("bad header value", line)
	}
	key := len(p.buf)
	p.buf = append(p.buf, line[:colon]...)
	canonicalize(p.buf[key:])
	start := len(p.buf)
	p.buf = append(p.buf, val...)
	p.fields = append(p.fields, field{key: key, val: start, end: len(p.buf)})
	return nil
}

// header builds the http.Header, every key and value a substring of one
// string and every single-value slice a window of one []string.
func (p *headParser) header() http.Header {
	h := make(http.Header, len(p.fields))
	if len(p.fields) == 0 {
		return h
	}
	s := string(p.buf)
	vals := make([]string, len(p.fields))
	for i, f := range p.fields {
		key := s[f.key:f.val]
		vals[i] = s[f.val:f.end]
		if old, ok := h[key]; ok {
			h[key] = append(old, vals[i])
		} else {
			h[key] = vals[i : i+1 : i+1]
		}
	}
	return h
}
