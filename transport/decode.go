package transport

import (
	"bufio"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/zstd"
)

// What requests say they accept. Scripts send what Artillery 2.0.34 sends
// by default (its HTTP client asks for every coding it can decode); ad-hoc
// tests send what net/http and hey send. Neither transport adds or strips
// the field: net/http's transparent gzip is off (New), so that both paths
// send, count and decode the same.
const (
	ScriptAcceptEncoding = "gzip, deflate, br, zstd"
	QuickAcceptEncoding  = "gzip"
)

// ErrContentEncoding is wrapped by the error of a body that does not
// decode as its Content-Encoding says; Surge counts it as EPROTO.
var ErrContentEncoding = errors.New("body does not decode as its Content-Encoding says")

// maxZstdWindow is the largest window a zstd body may ask for: RFC 9659
// caps it at 8 MB for HTTP, which bounds the decoder's memory.
const maxZstdWindow = 8 << 20

// Decode returns a reader of body decoded by the codings its
// Content-Encoding values list (the last applied first): gzip, deflate
// (zlib, or raw deflate as servers sometimes send), br and zstd. A body in
// a coding it does not know, or in none, is returned as it is, as
// Artillery's client does. Call done when finished with the reader: it
// gives the decoders back. Errors that are the body's own (a reset, a
// timeout) come through as they are; those of the decoding wrap
// ErrContentEncoding. Decoding adds memory only for its window (at most
// 16 MB for br, 8 MB for zstd, 32 kB for the rest): callers bound the
// output themselves.
func Decode(body io.Reader, contentEncoding []string) (r io.Reader, done func(), err error) {
	codings := parseCodings(contentEncoding)
	if codings == nil {
		return body, func() {}, nil
	}
	src := &source{r: bufio.NewReader(body)}
	if _, err := src.r.(*bufio.Reader).Peek(1); err == io.EOF {
		return src, func() {}, nil // empty, as the body of a HEAD or 204 may be
	}
	r = src
	var releases []func()
	done = func() {
		for _, f := range releases {
			f()
		}
	}
	for i := len(codings) - 1; i >= 0; i-- {
		var release func()
		r, release, err = decoder(codings[i], r)
		if err != nil {
			done()
			return nil, func() {}, src.explain(codings[i], err)
		}
		releases = append(releases, release)
	}
	return &decoded{r: r, src: src, codings: strings.Join(codings, ", ")}, done, nil
}

// parseCodings lists the codings to undo, nil if there are none or one is
// unknown (the body is then left as it is).
func parseCodings(values []string) []string {
	var codings []string
	for _, v := range values {
		for c := range strings.SplitSeq(v, ",") {
			c = strings.ToLower(strings.TrimSpace(c))
			switch c {
			case "", "identity":
			case "gzip", "x-gzip", "deflate", "br", "zstd":
				codings = append(codings, c)
			default:
				return nil
			}
		}
	}
	return codings
}

// decoder undoes one coding.
func decoder(coding string, r io.Reader) (io.Reader, func(), error) {
	switch coding {
	case "gzip", "x-gzip":
		return gunzip(r)
	case "deflate":
		return inflate(r)
	case "br":
		br, _ := brotliReaders.Get().(*brotli.Reader)
		if br == nil {
			br = brotli.NewReader(r)
		} else {
			br.Reset(r)
		}
		return br, func() { br.Reset(nil); brotliReaders.Put(br) }, nil
	}
	return unzstd(r)
}

var (
	gzipReaders   sync.Pool // *gzip.Reader
	brotliReaders sync.Pool // *brotli.Reader
	zstdReaders   sync.Pool // *zstd.Decoder
)

func gunzip(r io.Reader) (io.Reader, func(), error) {
	zr, _ := gzipReaders.Get().(*gzip.Reader)
	var err error
	if zr == nil {
		zr, err = gzip.NewReader(r)
	} else {
		err = zr.Reset(r)
	}
	if err != nil {
		return nil, nil, err
	}
	return zr, func() { gzipReaders.Put(zr) }, nil
}

// inflate reads "deflate", which RFC 9110 says is zlib; some servers send
// raw deflate, which a zlib header check tells apart.
func inflate(r io.Reader) (io.Reader, func(), error) {
	br := bufio.NewReader(r)
	if head, _ := br.Peek(2); zlibHeader(head) {
		zr, err := zlib.NewReader(br)
		if err != nil {
			return nil, nil, err
		}
		return zr, func() { zr.Close() }, nil
	}
	fr := flate.NewReader(br)
	return fr, func() { fr.Close() }, nil
}

// zlibHeader checks the two bytes that open a zlib stream (RFC 1950):
// method 8 (deflate) and a check value that makes them a multiple of 31.
func zlibHeader(b []byte) bool {
	return len(b) == 2 && b[0]&0x0f == 8 && (uint16(b[0])<<8|uint16(b[1]))%31 == 0
}

func unzstd(r io.Reader) (io.Reader, func(), error) {
	d, _ := zstdReaders.Get().(*zstd.Decoder)
	var err error
	if d == nil {
		// One goroutine (the caller's), and a window no larger than HTTP
		// allows.
		d, err = zstd.NewReader(r, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true),
			zstd.WithDecoderMaxWindow(maxZstdWindow), zstd.WithDecoderMaxMemory(maxZstdWindow))
	} else {
		err = d.Reset(r)
	}
	if err != nil {
		return nil, nil, err
	}
	return d, func() { d.Reset(nil); zstdReaders.Put(d) }, nil
}

// source is the undecoded body; it remembers its own errors, so that they
// are not taken for the decoder's.
type source struct {
	r   io.Reader
	err error
}

func (s *source) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if err != nil && err != io.EOF {
		s.err = err
	}
	return n, err
}

// explain returns the body's own error if it failed, else err as a
// decoding error.
func (s *source) explain(codings string, err error) error {
	if s.err != nil {
		return s.err
	}
	return fmt.Errorf("%w (%s): %v", ErrContentEncoding, codings, err)
}

// decoded is the decoded body.
type decoded struct {
	r       io.Reader
	src     *source
	codings string
}

func (d *decoded) Read(p []byte) (int, error) {
	n, err := d.r.Read(p)
	if err != nil && err != io.EOF {
		err = d.src.explain(d.codings, err)
	}
	return n, err
}
