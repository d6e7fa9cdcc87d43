package h1

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
)

// ErrUnsupported is returned, when Transport.Fallback is nil, for requests
// that need net/http: https, CONNECT, Upgrade, a proxy, request trailers.
var ErrUnsupported = errors.New("h1: request needs net/http")

// ErrMalformed is wrapped by every error about a response that breaks the
// protocol: Surge counts errors that wrap it as EPROTO.
var ErrMalformed = errors.New("malformed HTTP response")

// errBodyClosed is returned by reads after Body.Close.
var errBodyClosed = errors.New("h1: read on closed response body")

func malformed(what string) error {
	return fmt.Errorf("h1: %w: %s", ErrMalformed, what)
}

// malformedLine names a bad line, cut short so that a megabyte of garbage
// does not end up in an error log.
func malformedLine(what string, line []byte) error {
	const show = 64
	if len(line) > show {
		line = line[:show]
	}
	return fmt.Errorf("h1: %w: %s %q", ErrMalformed, what, line)
}

// ctxError reports a request cut short by its context. It unwraps to the
// context's error only, so that Surge counts it as a timeout or a
// cancellation rather than as the reset or closed connection it caused; the
// I/O error stays in the text.
type ctxError struct {
	ctx error
	io  error
}

func (e *ctxError) Error() string { return "h1: " + e.ctx.Error() + " (" + e.io.Error() + ")" }
func (e *ctxError) Unwrap() error { return e.ctx }
func (e *ctxError) Timeout() bool { return errors.Is(e.ctx, context.DeadlineExceeded) }

// ctxErr turns an I/O error caused by ctx into one that wraps ctx's error.
// A conn deadline (set from the context's) can fire a moment before the
// context's own timer, so an I/O timeout under a context deadline counts as
// the context's even while ctx.Err() is still nil.
func ctxErr(ctx context.Context, err error) error {
	if ctx == nil || err == nil {
		return err
	}
	if cerr := ctx.Err(); cerr != nil {
		return &ctxError{ctx: cerr, io: err}
	}
	if errors.Is(err, os.ErrDeadlineExceeded) {
		if _, ok := ctx.Deadline(); ok {
			return &ctxError{ctx: context.DeadlineExceeded, io: err}
		}
	}
	return err
}

// connLost reports errors that mean the server had closed the connection.
func connLost(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

// Counted is what the bodies of this transport's responses, and the
// errors of its failed requests, tell of the bytes a request moved: the
// request as written (head and body, every attempt if it was sent again)
// and the response as read from the connection (interim and final heads,
// the body with its chunk framing and trailers). A body's counts are
// final once it is read to its end or closed; an error's are what had
// been written and read when the request failed.
type Counted interface {
	WireBytes() (sent, received int64)
}

// countedError is a failed request's error with its bytes. It unwraps to
// the error, and says Timeout as it does, since url.Error asks its
// wrapped error directly.
type countedError struct {
	err        error
	sent, recv int64
}

func counted(err error, sent, recv int64) error {
	return &countedError{err: err, sent: sent, recv: recv}
}

func (e *countedError) Error() string                     { return e.err.Error() }
func (e *countedError) Unwrap() error                     { return e.err }
func (e *countedError) WireBytes() (sent, received int64) { return e.sent, e.recv }

func (e *countedError) Timeout() bool {
	var t interface{ Timeout() bool }
	return errors.As(e.err, &t) && t.Timeout()
}
