package transport

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/url"
	"os"
	"strings"
	"syscall"

	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/transport/h1"
)

// ErrFileLimit is the kind of a request that could not open a socket
// because the process or the system ran out of file descriptors (EMFILE,
// ENFILE): a limit of the load generator, not a failure of the target,
// which the summary can tell apart and hint at (raise ulimit -n).
var ErrFileLimit = metrics.RegisterErrorKind("EMFILE")

// Classify names why a request got no response. A nil error is
// metrics.NoError; an HTTP status is never an error.
func Classify(err error) metrics.ErrorKind {
	if err == nil {
		return metrics.NoError
	}
	for _, c := range classifiers {
		if c.match(err) {
			return c.kind
		}
	}
	return metrics.ErrOther
}

type classifier struct {
	kind  metrics.ErrorKind
	match func(error) bool
}

// classifiers are tried in order: the first match wins, so the more
// specific causes come before the generic timeout and EOF checks.
var classifiers = []classifier{
	{metrics.ErrCanceled, func(err error) bool { return errors.Is(err, context.Canceled) }},
	{ErrFileLimit, func(err error) bool { return errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE) }},
	{metrics.ErrRefused, func(err error) bool { return errors.Is(err, syscall.ECONNREFUSED) }},
	{metrics.ErrReset, func(err error) bool {
		return errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
	}},
	{metrics.ErrDNS, func(err error) bool { var d *net.DNSError; return errors.As(err, &d) }},
	// Before the TLS check, which would take the server's alert refusing
	// h2 for any TLS failure; before the timeout and EOF checks: the error
	// may wrap an unexpected EOF, when the HTTP/1.1 answer is shorter than
	// the frame it seemed.
	{metrics.ErrNoHTTP2, isNoHTTP2},
	{metrics.ErrTLS, isTLS},
	{metrics.ErrTimeout, isTimeout},
	{metrics.ErrClosed, func(err error) bool {
		return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) ||
			containsAny(err.Error(), netHTTPClosedErrors)
	}},
	{metrics.ErrBadURL, isBadURL},
	{metrics.ErrProtocol, isProtocol},
}

// isProtocol reports a response that broke HTTP, or whose body does not
// decode as its Content-Encoding says. The lean client's errors and the
// decoder's say so by value; net/http's (HTTP/1.1 fallback, HTTP/2) have
// no exported value, so for them only their text tells ("malformed HTTP
// response", "malformed HTTP status code", ...).
func isProtocol(err error) bool {
	if errors.Is(err, h1.ErrMalformed) || errors.Is(err, ErrContentEncoding) {
		return true
	}
	return containsAny(err.Error(), netHTTPProtocolErrors)
}

func containsAny(msg string, texts []string) bool {
	for _, text := range texts {
		if strings.Contains(msg, text) {
			return true
		}
	}
	return false
}

// netHTTPClosedErrors are the texts of net/http's unexported errors for a
// connection the server closed: an idle one, or one closed in the midst
// of a chunked body's trailers (where the lean client's error is
// io.ErrUnexpectedEOF).
var netHTTPClosedErrors = []string{
	"server closed idle connection",
	"unexpected EOF reading trailer",
}

// netHTTPProtocolErrors are the texts of net/http's errors about a
// response that breaks HTTP/1.1 (net/http/transport.go, transfer.go,
// internal/chunked.go and net/textproto, Go 1.26): the head, the framing,
// the chunked encoding of a body and its trailers.
var netHTTPProtocolErrors = []string{
	"malformed HTTP",
	"malformed MIME header", // a field line, in the head or the trailers
	"response headers exceeded",
	"unsupported transfer encoding",
	"too many transfer encodings",
	"message cannot contain multiple Content-Length headers",
	"malformed chunked encoding",
	"chunked encoding contains too much non-data",
	"chunked line ends with bare LF",
	"invalid CR in chunked line",
	"empty hex number for chunk length",
	"invalid byte in chunk length",
	"http chunk length too large",
	"bad Content-Length",
	"invalid empty Content-Length",
	"suspiciously long trailer after chunked body",
	"bad trailer key", // a Trailer field announcing Content-Length, say
	"header line too long",
}

// isNoHTTP2 reports a request for HTTP/2 alone to a server that did not
// choose it in TLS ALPN (errNoH2ALPN), or sent as HTTP/2 over plain TCP
// (h2c with prior knowledge) to a server that does not speak it. net/http's errors
// have no exported values, so their text tells: the frame header looked
// like an HTTP/1.1 header when the request was out as the answer came;
// the connection could not be established when the answer closed it
// first (which of the two is a race). Over plain TCP only h2c speaks
// HTTP/2, so the second names a server that answered its first frames
// by hanging up; over TLS it may be anything, and is not this kind.
func isNoHTTP2(err error) bool {
	msg := err.Error()
	// A server that knows ALPN but not h2 refuses the handshake with the
	// alert no_application_protocol (RFC 7301), which crypto/tls returns
	// as an unexported value: its text tells. Only a client offering h2
	// alone (Protocol HTTP2) meets it from an HTTP server.
	if errors.Is(err, errNoH2ALPN) || strings.Contains(msg, "tls: no application protocol") {
		return true
	}
	if strings.Contains(msg, "frame header looked like an HTTP/1.1 header") {
		return true
	}
	var ue *url.Error
	return strings.Contains(msg, "http2: client conn could not be established") &&
		errors.As(err, &ue) && strings.HasPrefix(ue.URL, "http://")
}

func isTimeout(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func isTLS(err error) bool {
	var (
		op  *net.OpError
		rh  tls.RecordHeaderError
		ae  tls.AlertError
		ve  *tls.CertificateVerificationError
		ua  x509.UnknownAuthorityError
		hn  x509.HostnameError
		inv x509.CertificateInvalidError
	)
	// An alert the server sent (a handshake failure, a certificate it
	// refused) is a *net.OpError "remote error" around crypto/tls's
	// unexported alert type.
	remote := errors.As(err, &op) && op.Op == "remote error"
	return remote || errors.As(err, &rh) || errors.As(err, &ae) || errors.As(err, &ve) ||
		errors.As(err, &ua) || errors.As(err, &hn) || errors.As(err, &inv)
}

func isBadURL(err error) bool {
	var ue *url.Error
	if !errors.As(err, &ue) {
		return false
	}
	msg := ue.Err.Error()
	return strings.Contains(msg, "unsupported protocol scheme") || strings.Contains(msg, "no Host in request URL")
}
