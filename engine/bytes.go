package engine

import (
	"errors"
	"net"
	"net/http"
	"slices"
	"strconv"

	"github.com/surge-dev/surge/transport/h1"
)

// Bytes sent are the requests as written, head and body as framed; bytes
// received are the responses as read, heads (interim 1xx ones included)
// and bodies as transferred (compressed, with their chunk framing). The
// lean HTTP/1.1 client counts them on its connections (h1.Counted); what
// goes through net/http (TLS, HTTP/2, proxies) is reconstructed from the
// request and the response as the HTTP/1.1 bytes they would be, which
// misses chunk framing, 1xx heads and HTTP/2's header compression: see
// docs/results.md.

// exchangedBytes counts a finished request: the response hr, whose body
// gave body bytes, and every redirect response before it.
func exchangedBytes(hr *http.Response, body int64) (sent, recv int64) {
	for resp := hr; resp != nil; {
		s, r := responseBytes(resp, body)
		sent, recv = sent+s, recv+r
		if resp.Request == nil {
			break
		}
		resp = resp.Request.Response // the redirect that led to it
		if resp != nil {
			// http.Client read a redirect's body only in part; without
			// counts of its own, its length is the best guess.
			body = max(resp.ContentLength, 0)
		}
	}
	return sent, recv
}

// responseBytes counts one leg of a request: exactly if the lean client
// carried it, else reconstructed.
func responseBytes(resp *http.Response, body int64) (sent, recv int64) {
	if c, ok := resp.Body.(h1.Counted); ok {
		return c.WireBytes()
	}
	if resp.Request != nil {
		sent = requestSize(resp.Request)
	}
	return sent, responseHeadSize(resp) + body
}

// failedBytes counts a request that got no response: exactly if the lean
// client carried it; nothing if it never got a connection; else the
// request, as if it had been written whole.
func failedBytes(req *http.Request, err error) (sent, recv int64) {
	var c h1.Counted
	if errors.As(err, &c) {
		return c.WireBytes()
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return 0, 0
	}
	return requestSize(req), 0
}

// requestSize is the size of req as net/http writes it over HTTP/1.1:
// request line, Host, its default User-Agent, the fields, the framing
// field and the body (chunk framing not counted).
func requestSize(req *http.Request) int64 {
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	host := req.Host
	if host == "" {
		host = req.URL.Host
	}
	n := len(method) + 1 + len(req.URL.RequestURI()) + len(" HTTP/1.1\r\n") + len("Host: \r\n") + len(host)
	if _, ok := req.Header["User-Agent"]; !ok {
		n += len("User-Agent: Go-http-client/1.1\r\n")
	}
	n += headerSize(req.Header, "Host", "Content-Length", "Transfer-Encoding", "Trailer")
	switch {
	case req.ContentLength > 0:
		n += len("Content-Length: \r\n") + len(strconv.FormatInt(req.ContentLength, 10))
	case req.Body != nil && req.Body != http.NoBody:
		n += len("Transfer-Encoding: chunked\r\n")
	case method == http.MethodPost || method == http.MethodPut || method == http.MethodPatch:
		n += len("Content-Length: 0\r\n")
	}
	return int64(n+len("\r\n")) + max(req.ContentLength, 0)
}

// responseHeadSize is the size of resp's head as an HTTP/1.1 server
// writes it: status line, fields, and those net/http took out of the
// header map (Transfer-Encoding, an HTTP/1.1 Connection: close).
func responseHeadSize(resp *http.Response) int64 {
	n := len("HTTP/1.1 \r\n") + len(resp.Status) + headerSize(resp.Header)
	if len(resp.TransferEncoding) > 0 {
		n += len("Transfer-Encoding: chunked\r\n")
	}
	if resp.Close && resp.ProtoAtLeast(1, 1) && resp.Header["Connection"] == nil {
		n += len("Connection: close\r\n")
	}
	return int64(n + len("\r\n"))
}

// headerSize is the size of h's fields on the wire, but for those named
// in skip; an empty User-Agent is not sent.
func headerSize(h http.Header, skip ...string) int {
	n := 0
	for k, vs := range h {
		if slices.Contains(skip, k) {
			continue
		}
		for _, v := range vs {
			if k == "User-Agent" && v == "" {
				continue
			}
			n += len(k) + len(": \r\n") + len(v)
		}
	}
	return n
}
