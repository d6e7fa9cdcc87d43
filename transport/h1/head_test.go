package h1

import (
	"bufio"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

// parse reads one response from raw with a read buffer of size bufSize,
// body included, as the transport would.
func parse(raw, method string, bufSize int) (*http.Response, string, error) {
	br := bufio.NewReaderSize(strings.NewReader(raw), bufSize)
	p := headParser{max: 1024}
	resp := &http.Response{}
	kind, err := p.read(br, resp, method)
	if err != nil {
		return nil, "", err
	}
	if kind == bodyNone {
		return resp, "", nil
	}
	b := &body{}
	b.init(br, nil, kind, resp.ContentLength, false, 0)
	data, err := io.ReadAll(b)
	return resp, string(data), err
}

type parsed struct {
	status string
	proto  string
	header http.Header
	length int64
	close  bool
	te     []string
	body   string
}

var parseTests = []struct {
	name, raw, method string
	want              parsed
}{
	{name: "content-length", raw: "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello",
		want: parsed{status: "200 OK", header: http.Header{"Content-Length": {"5"}, "Content-Type": {"text/plain"}}, length: 5, body: "hello"}},
	{name: "chunked", raw: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n",
		want: parsed{status: "200 OK", header: http.Header{}, length: -1, te: []string{"chunked"}, body: "hello world"}},
	{name: "chunked with trailers", raw: "HTTP/1.1 200 OK\r\nTrailer: X-Sum\r\nTransfer-Encoding: Chunked\r\nContent-Length: 99\r\n\r\nA\r\n0123456789\r\n0\r\nX-Sum: 45\r\n\r\n",
		want: parsed{status: "200 OK", header: http.Header{}, length: -1, te: []string{"chunked"}, body: "0123456789"}},
	{name: "until close", raw: "HTTP/1.1 200 OK\r\n\r\nall of it",
		want: parsed{status: "200 OK", header: http.Header{}, length: -1, close: true, body: "all of it"}},
	{name: "head", method: "HEAD", raw: "HTTP/1.1 200 OK\r\nContent-Length: 42\r\n\r\n",
		want: parsed{status: "200 OK", header: http.Header{"Content-Length": {"42"}}, length: 42}},
	{name: "204", raw: "HTTP/1.1 204 No Content\r\n\r\n",
		want: parsed{status: "204 No Content", header: http.Header{}}},
	{name: "304 with length", raw: "HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n",
		want: parsed{status: "304 Not Modified", header: http.Header{"Content-Length": {"10"}}}},
	{name: "100 continue", raw: "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
		want: parsed{status: "200 OK", header: http.Header{"Content-Length": {"2"}}, length: 2, body: "ok"}},
	{name: "103 early hints", raw: "HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n",
		want: parsed{status: "201 Created", header: http.Header{"Content-Length": {"0"}}}},
	{name: "http/1.0", raw: "HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx",
		want: parsed{status: "200 OK", proto: "HTTP/1.0", header: http.Header{"Content-Length": {"1"}}, length: 1, close: true, body: "x"}},
	{name: "http/1.0 keep-alive", raw: "HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 1\r\n\r\nx",
		want: parsed{status: "200 OK", proto: "HTTP/1.0", header: http.Header{"Connection": {"Keep-Alive"}, "Content-Length": {"1"}}, length: 1, body: "x"}},
	{name: "connection close", raw: "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\nx",
		want: parsed{status: "200 OK", header: http.Header{"Content-Length": {"1"}}, length: 1, close: true, body: "x"}},
	{name: "odd reason", raw: "HTTP/1.1 200 Fine Thanks\r\nContent-Length: 0\r\n\r\n",
		want: parsed{status: "200 Fine Thanks", header: http.Header{"Content-Length": {"0"}}}},
	{name: "no reason", raw: "HTTP/1.1 404\r\nContent-Length: 0\r\n\r\n",
		want: parsed{status: "404", header: http.Header{"Content-Length": {"0"}}}},
	{name: "canonical keys", raw: "HTTP/1.1 200 OK\r\ncontent-length: 0\r\nX-MULTI: a\r\nx-multi: b\r\nset-cookie: c=1\r\n\r\n",
		want: parsed{status: "200 OK", header: http.Header{"Content-Length": {"0"}, "X-Multi": {"a", "b"}, "Set-Cookie": {"c=1"}}}},
	{name: "bare LF and OWS", raw: "HTTP/1.1 200 OK\nX-A: \t v w \t\nContent-Length: 2\n\nhi",
		want: parsed{status: "200 OK", header: http.Header{"X-A": {"v w"}, "Content-Length": {"2"}}, length: 2, body: "hi"}},
	{name: "long line", raw: "HTTP/1.1 200 OK\r\nX-Long: " + strings.Repeat("v", 300) + "\r\nContent-Length: 0\r\n\r\n",
		want: parsed{status: "200 OK", header: http.Header{"X-Long": {strings.Repeat("v", 300)}, "Content-Length": {"0"}}}},
	{name: "folded lines", raw: "HTTP/1.1 200 OK\r\nX-A: 1\r\n  more \r\n\tand more\r\nX-Empty:\r\n \r\n  b\r\nX-Trail: t\r\n \r\nContent-Length: 0\r\n\r\n",
		want: parsed{status: "200 OK", header: http.Header{"X-A": {"1 more and more"}, "X-Empty": {"b"}, "X-Trail": {"t "}, "Content-Length": {"0"}}}},
	{name: "folded framing", raw: "HTTP/1.1 200 OK\r\nConnection:\r\n close\r\nContent-Length:\r\n 2\r\n\r\nhi",
		want: parsed{status: "200 OK", header: http.Header{"Content-Length": {"2"}}, length: 2, close: true, body: "hi"}},
	{name: "pragma no-cache", raw: "HTTP/1.1 200 OK\r\nPragma: no-cache\r\nContent-Length: 0\r\n\r\n",
		want: parsed{status: "200 OK", header: http.Header{"Pragma": {"no-cache"}, "Cache-Control": {"no-cache"}, "Content-Length": {"0"}}}},
	{name: "repeated length", raw: "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc",
		want: parsed{status: "200 OK", header: http.Header{"Content-Length": {"3"}}, length: 3, body: "abc"}},
}

func TestParseResponse(t *testing.T) {
	for _, tt := range parseTests {
		for _, size := range []int{16, 4096} {
			resp, body, err := parse(tt.raw, tt.method, size)
			if err != nil {
				t.Errorf("%s (buffer %d): %v", tt.name, size, err)
				continue
			}
			want := tt.want
			if want.proto == "" {
				want.proto = "HTTP/1.1"
			}
			got := parsed{resp.Status, resp.Proto, resp.Header, resp.ContentLength, resp.Close, resp.TransferEncoding, body}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s (buffer %d):\n got %+v\nwant %+v", tt.name, size, got, want)
			}
		}
	}
}

const okLine = "HTTP/1.1 200 OK\r\n"

var malformedTests = []struct{ name, raw string }{
	{"http/2 status line", "HTTP/2.0 200 OK\r\n\r\n"},
	{"short code", "HTTP/1.1 20 OK\r\n\r\n"},
	{"long code", "HTTP/1.1 2000 OK\r\n\r\n"},
	{"code below 100", "HTTP/1.1 099 Odd\r\n\r\n"},
	{"not http", "ICY 200 OK\r\n\r\n"},
	{"garbage", "\x00\x01garbage\r\n\r\n"},
	{"space in key", okLine + "Bad Header: x\r\n\r\n"},
	{"space before colon", okLine + "X-A : x\r\n\r\n"},
	{"fold before any field", okLine + " X-A: 1\r\n\r\n"},
	{"control in folded line", okLine + "X-A: 1\r\n a\x00b\r\n\r\n"},
	{"no colon", okLine + "just words\r\n\r\n"},
	{"control in value", okLine + "X-A: a\x00b\r\n\r\n"},
	{"bad length", okLine + "Content-Length: abc\r\n\r\n"},
	{"signed length", okLine + "Content-Length: +5\r\n\r\n"},
	{"empty length", okLine + "Content-Length: \r\n\r\n"},
	{"conflicting lengths", okLine + "Content-Length: 1\r\nContent-Length: 2\r\n\r\nab"},
	{"gzip coding", okLine + "Transfer-Encoding: gzip\r\n\r\n"},
	{"stacked codings", okLine + "Transfer-Encoding: gzip, chunked\r\n\r\n"},
	{"bad chunk size", okLine + "Transfer-Encoding: chunked\r\n\r\nzz\r\n"},
	{"huge chunk size", okLine + "Transfer-Encoding: chunked\r\n\r\n10000000000000000\r\n"},
	{"bare LF after a chunk size", okLine + "Transfer-Encoding: chunked\r\n\r\n2\nok\r\n0\r\n\r\n"},
	{"bare LF after chunk data", okLine + "Transfer-Encoding: chunked\r\n\r\n2\r\nok\n0\r\n\r\n"},
	{"space before a chunk extension", okLine + "Transfer-Encoding: chunked\r\n\r\n2 ;x\r\nok\r\n0\r\n\r\n"},
	{"chunk without CRLF", okLine + "Transfer-Encoding: chunked\r\n\r\n5\r\nhelloX0\r\n\r\n"},
	{"trailer without a colon", okLine + "Transfer-Encoding: chunked\r\n\r\n0\r\nno colon\r\n\r\n"},
	{"trailers ended by a bare LF", okLine + "Transfer-Encoding: chunked\r\n\r\n0\r\nX-A: 1\n\n"},
	{"trailers over the read buffer", okLine + "Transfer-Encoding: chunked\r\n\r\n0\r\n" + strings.Repeat("X-A: 1\r\n", 10) + "\r\n"},
	{"head too large", okLine + "X-Big: " + strings.Repeat("x", 2000) + "\r\n\r\n"},
	{"1xx heads over the head budget", strings.Repeat("HTTP/1.1 100 Continue\r\n\r\n", 50) + okLine + "\r\n"},
	{"unasked 101", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n"},
	{"1xx with conflicting lengths", "HTTP/1.1 100 Continue\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n" + okLine + "\r\n"},
	{"1xx with a gzip coding", "HTTP/1.1 103 Early Hints\r\nTransfer-Encoding: gzip\r\n\r\n" + okLine + "\r\n"},
	{"Trailer announcing Content-Length", okLine + "Transfer-Encoding: chunked\r\nTrailer: X-A, content-length\r\n\r\n0\r\n\r\n"},
	{"Trailer announcing Trailer in a 304", "HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\nTrailer: Trailer\r\n\r\n"},
}

func TestParseMalformed(t *testing.T) {
	tests := malformedTests
	for _, tt := range tests {
		_, _, err := parse(tt.raw, "GET", 64)
		if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "malformed HTTP response") {
			t.Errorf("%s: err = %v, want malformed HTTP response", tt.name, err)
		}
	}
}

func TestParseTruncated(t *testing.T) {
	tests := []struct {
		name, raw string
		want      error
	}{
		{"nothing", "", io.EOF},
		{"half a status line", "HTTP/1.1 2", io.ErrUnexpectedEOF},
		{"half a head", "HTTP/1.1 200 OK\r\nContent-Le", io.ErrUnexpectedEOF},
		{"short body", "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nabc", io.ErrUnexpectedEOF},
		{"short chunk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n9\r\nabc", io.ErrUnexpectedEOF},
		{"no last chunk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n", io.ErrUnexpectedEOF},
	}
	for _, tt := range tests {
		_, _, err := parse(tt.raw, "GET", 64)
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.want)
		}
	}
}

func FuzzReadResponse(f *testing.F) {
	for _, tt := range parseTests {
		f.Add(tt.raw, tt.method == "HEAD")
	}
	f.Add("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;x\r\nabc\r\n0\r\nA: b\r\n\r\n", false)
	for _, raw := range fuzzSeeds {
		f.Add(raw, false)
	}
	f.Fuzz(func(t *testing.T, raw string, head bool) {
		method := "GET"
		if head {
			method = "HEAD"
		}
		resp, body, err := parse(raw, method, 16)
		if err != nil {
			return
		}
		if resp.StatusCode < 200 || resp.StatusCode > 999 || resp.Header == nil {
			t.Fatalf("accepted %q as status %d", raw, resp.StatusCode)
		}
		if resp.ContentLength >= 0 && method == "GET" && int64(len(body)) != resp.ContentLength {
			t.Fatalf("body of %d bytes for Content-Length %d", len(body), resp.ContentLength)
		}
	})
}
