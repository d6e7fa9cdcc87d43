package h1

import (
	"bufio"
	"bytes"
	"io"
	"math"
)

const (
	// maxDrain is the most Close reads of an unread body to keep its
	// connection: beyond that a new connection is cheaper.
	maxDrain = 64 << 10
	// maxChunkDigits and maxChunkLine are net/http's bounds on a chunk
	// size (16 hex digits: any uint64) and its line, extensions included.
	maxChunkDigits = 16
	maxChunkLine   = 4096
	// maxOverhead bounds the chunk framing beyond what the data
	// justifies (see body.overhead), as in net/http.
	maxOverhead = 16 << 10
)

// body is a response body read straight from the connection. At its end
// the connection goes back to the pool (or is closed if it cannot be
// reused); on any error it is closed. Like net/http's, it is for one
// reader; a context cancellation may still cut a Read short from another
// goroutine, by closing the connection.
type body struct {
	br      *bufio.Reader
	c       *conn // nil when parsing without a connection (tests, fuzzing)
	kind    bodyKind
	left    int64 // bytes left: in the body, or in the current chunk
	keep    bool  // the connection may serve another request afterwards
	started bool  // a chunk was read, so a CRLF precedes the next size
	excess  int64 // chunk framing beyond what the data justifies: see overhead
	err     error // sticky: io.EOF at the end, errBodyClosed, or the failure
	// from is the connection's stream position where the response head
	// began; sent and recv are the request's bytes written and the
	// response's bytes read (see WireBytes), recv final once c is let go.
	from, sent, recv int64
	// held keeps c out of the pool at the end of the body: the caller
	// releases it after reading recv. Exchange's drain is a field of the
	// conn, which the pool's next user re-inits at once.
	held bool
}

// init readies b for a body of the given kind; length is the
// Content-Length, meaningful for bodyLength only. from is where the
// response began in c's stream.
func (b *body) init(br *bufio.Reader, c *conn, kind bodyKind, length int64, keep bool, from int64) {
	*b = body{br: br, c: c, kind: kind, keep: keep, from: from}
	if kind == bodyLength {
		b.left = length
	}
}

// WireBytes implements Counted: the request as written (head and body,
// every attempt if it was sent again) and the response as read from the
// connection (interim and final heads, the body with its chunk framing
// and trailers). Final once the body is read to its end or closed.
func (b *body) WireBytes() (sent, received int64) {
	if b.c != nil {
		return b.sent, b.c.pos() - b.from
	}
	return b.sent, b.recv
}

// letGo records the bytes read for the response, before the connection
// goes back to the pool or is closed.
func (b *body) letGo(c *conn) {
	b.recv = c.pos() - b.from
	b.c, b.br = nil, nil
}

// Read implements io.Reader. The last bytes come with io.EOF whenever the
// end is already known, so that the connection is free at once.
func (b *body) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	if len(p) == 0 {
		return 0, nil
	}
	var n int
	var err error
	switch b.kind {
	case bodyLength:
		n, err = b.readLength(p)
	case bodyChunked:
		n, err = b.readChunked(p)
	default:
		n, err = b.br.Read(p)
	}
	if err != nil {
		b.finish(err)
		return n, b.err
	}
	return n, nil
}

// Close implements io.Closer. An unread rest that is small is drained so
// that the connection can be reused.
func (b *body) Close() error {
	if b.c != nil && b.keep && (b.kind != bodyLength || b.left <= maxDrain) {
		io.CopyN(io.Discard, b, maxDrain) // finishes the body if the rest fits
	}
	if c := b.c; c != nil {
		b.letGo(c)
		c.close()
	}
	b.err = errBodyClosed
	return nil
}

// finish ends the body: the connection goes back to its pool at io.EOF and
// is closed on anything else.
func (b *body) finish(err error) {
	c := b.c
	if c == nil {
		b.br = nil
		b.err = err
		return
	}
	b.letGo(c)
	if err == io.EOF {
		b.err = err
		if !b.held {
			c.release(b.keep)
		}
		return
	}
	b.err = ctxErr(c.ctx, err)
	c.close()
}

func (b *body) readLength(p []byte) (int, error) {
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.br.Read(p)
	b.left -= int64(n)
	switch {
	case b.left == 0:
		return n, io.EOF
	case err == io.EOF:
		return n, io.ErrUnexpectedEOF
	}
	return n, err
}

func (b *body) readChunked(p []byte) (int, error) {
	if b.left == 0 {
		if err := b.nextChunk(); err != nil {
			return 0, err
		}
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.br.Read(p)
	b.left -= int64(n)
	if err == io.EOF {
		return n, io.ErrUnexpectedEOF
	}
	if err == nil && b.left == 0 && b.lastChunkBuffered() {
		return n, io.EOF
	}
	return n, err
}

// lastChunk is what follows the last data chunk of a body without
// trailers.
var lastChunk = []byte("\r\n0\r\n\r\n")

// lastChunkBuffered consumes the end of the body if it has already
// arrived: the common case of a small chunked response then completes in
// one Read, without waiting for the caller to ask again.
func (b *body) lastChunkBuffered() bool {
	if b.br.Buffered() < len(lastChunk) {
		return false
	}
	next, _ := b.br.Peek(len(lastChunk))
	if !bytes.Equal(next, lastChunk) {
		return false
	}
	b.br.Discard(len(lastChunk))
	return true
}

// nextChunk reads a chunk-size line (after the CRLF that ends the previous
// chunk's data) and returns io.EOF after the last chunk and its trailers.
func (b *body) nextChunk() error {
	if b.started {
		if err := b.crlf(); err != nil {
			return err
		}
	}
	b.started = true
	line, err := chunkLine(b.br)
	if err != nil {
		return err
	}
	size, err := chunkSize(line)
	if err != nil {
		return err
	}
	if err := b.overhead(len(line), size); err != nil {
		return err
	}
	if size == 0 {
		return skipTrailers(b.br)
	}
	b.left = size
	return nil
}

// overhead keeps net/http's account of the framing of a chunked body:
// each chunk may spend 16 bytes, and twice its data, on its size line and
// CRLF, and a body whose excess passes maxOverhead fails, as one that
// sends little data in many chunks with long extensions does there.
func (b *body) overhead(line int, size int64) error {
	b.excess += int64(line) + 2 - 16 - 2*min(size, maxOverhead) // min: no overflow
	b.excess = max(b.excess, 0)
	if b.excess > maxOverhead {
		return malformed("chunked encoding contains too much non-data")
	}
	return nil
}

// crlf reads the CRLF that ends a chunk's data: a bare LF will not do, as
// in net/http.
func (b *body) crlf() error {
	cr, err := b.br.ReadByte()
	lf := byte(0)
	if err == nil {
		lf, err = b.br.ReadByte()
	}
	switch {
	case err == io.EOF:
		return io.ErrUnexpectedEOF
	case err != nil:
		return err
	case cr != '\r' || lf != '\n':
		return malformed("missing CRLF after chunk data")
	}
	return nil
}

// chunkLine reads a chunk-size line without its line ending. Unlike a
// head's lines it must end in CRLF and hold no other CR, as net/http
// requires (a bare LF there is a known request smuggling device, RFC 9112
// erratum 7633), and fit the read buffer and maxChunkLine.
func chunkLine(br *bufio.Reader) ([]byte, error) {
	line, err := br.ReadSlice('\n')
	switch {
	case err == bufio.ErrBufferFull:
		return nil, malformed("chunk line too long")
	case err == io.EOF:
		return nil, io.ErrUnexpectedEOF
	case err != nil:
		return nil, err
	}
	if len(line) < 2 || bytes.IndexByte(line, '\r') != len(line)-2 {
		return nil, malformedLine("chunk line not ended by CRLF", line)
	}
	if line = line[:len(line)-2]; len(line) >= maxChunkLine {
		return nil, malformed("chunk line too long")
	}
	return line, nil
}

// chunkSize parses a chunk-size line as net/http does: up to 16 hex
// digits, optionally followed by ";" and extensions, which are ignored;
// white space may end the line, but not come before the ";".
func chunkSize(line []byte) (int64, error) {
	size := trimRightOWS(line)
	if semi := bytes.IndexByte(size, ';'); semi >= 0 {
		size = size[:semi]
	}
	if len(size) == 0 || len(size) > maxChunkDigits {
		return 0, malformedLine("bad chunk size", line)
	}
	var n uint64
	for _, c := range size {
		d := hexDigit(c)
		if d < 0 {
			return 0, malformedLine("bad chunk size", line)
		}
		n = n<<4 | uint64(d)
	}
	// net/http takes any uint64; no stream carries more than MaxInt64
	// bytes, so the body then ends at the server's close, as there.
	return int64(min(n, math.MaxInt64)), nil
}

func hexDigit(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// skipTrailers reads the trailer section that ends a chunked body, and
// drops it (doc.go), returning io.EOF at its end. It takes what net/http
// takes: fields checked as a head's are, the whole section within the
// read buffer, and at its end an empty line after CRLF (net/http looks
// for CRLF CRLF before it reads the fields).
func skipTrailers(br *bufio.Reader) error {
	left, crlf := br.Size(), true // the last chunk's line ended in CRLF
	for first := true; ; first = false {
		raw, err := br.ReadSlice('\n')
		switch {
		case err == bufio.ErrBufferFull:
			return malformed("trailers too large")
		case err == io.EOF:
			return io.ErrUnexpectedEOF
		case err != nil:
			return err
		}
		if left -= len(raw); left < 0 {
			return malformed("trailers too large")
		}
		line, ended := trimEOL(raw)
		if len(line) == 0 && (!ended || !crlf) {
			return malformed("trailers not ended by CRLF CRLF")
		}
		if len(line) == 0 {
			return io.EOF
		}
		if err := checkTrailer(line, first); err != nil {
			return err
		}
		crlf = ended
	}
}

// trimEOL strips a line's LF or CRLF, and says whether it was CRLF.
func trimEOL(raw []byte) ([]byte, bool) {
	line := raw[:len(raw)-1]
	if len(line) > 0 && line[len(line)-1] == '\r' {
		return line[:len(line)-1], true
	}
	return line, false
}

// checkTrailer checks a trailer line as addField and fold check a head's.
func checkTrailer(line []byte, first bool) error {
	if line[0] == ' ' || line[0] == '\t' { // folded: continues the field before
		if first || !validValue(trimOWS(line)) {
			return malformedLine("bad trailer line", line)
		}
		return nil
	}
	colon := bytes.IndexByte(line, ':')
	if colon < 0 || !validToken(line[:colon]) || !validValue(trimOWS(line[colon+1:])) {
		return malformedLine("bad trailer line", line)
	}
	return nil
}
