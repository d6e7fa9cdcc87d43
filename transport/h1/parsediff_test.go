package h1

import (
	"bufio"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

// stdParse reads raw with net/http's own response parser, skipping 1xx
// heads as its Transport does.
func stdParse(raw, method string) (parsed, error) {
	br := bufio.NewReader(strings.NewReader(raw))
	resp, err := http.ReadResponse(br, &http.Request{Method: method})
	for err == nil && resp.StatusCode >= 100 && resp.StatusCode < 200 && resp.StatusCode != 101 {
		resp, err = http.ReadResponse(br, &http.Request{Method: method})
	}
	if err != nil {
		return parsed{}, err
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return parsed{}, err
	}
	return parsedOf(resp, string(body)), nil
}

func parsedOf(resp *http.Response, body string) parsed {
	return parsed{resp.Status, resp.Proto, resp.Header, resp.ContentLength, resp.Close, resp.TransferEncoding, body}
}

// TestParseAgreesWithNetHTTP reads every well-formed response of the
// parser tests with both parsers: where net/http accepts one, the fields,
// framing and body must be the same.
func TestParseAgreesWithNetHTTP(t *testing.T) {
	for _, tt := range parseTests {
		method := tt.method
		if method == "" {
			method = "GET"
		}
		want, err := stdParse(tt.raw, method)
		if err != nil {
			t.Errorf("%s: net/http: %v", tt.name, err)
			continue
		}
		resp, body, err := parse(tt.raw, method, 4096)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if got := parsedOf(resp, body); !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got      %+v\n net/http %+v", tt.name, got, want)
		}
	}
}

// fuzzSeeds are responses of the misbehaving kinds the differential
// tests send (misbehave_cases_test.go), for the fuzzers to start from.
var fuzzSeeds = []string{
	"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok",
	"HTTP/1.1  200 OK\r\nContent-Length: 2\r\n\r\nok",
	"HTTP/1.2 200\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok",
	"HTTP/1.1 099 Odd\r\nContent-Length: 0\r\n\r\n",
	"HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\nConnection: Upgrade\r\n\r\n",
	"HTTP/1.1 100 Continue\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
	"HTTP/1.1 100 Continue\r\nTransfer-Encoding: gzip\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
	"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-A, content-length\r\n\r\n2\r\nok\r\n0\r\n\r\n",
	"HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n\r\nx",
	"HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nhello",
	"HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n",
	"HTTP/1.1 200 OK\r\nContent-Length: 0002\r\nContent-Length: 0002\r\n\r\nok",
	"HTTP/1.1 200 OK\r\nContent-Length: 00000000000000000002\r\n\r\nok",
	"HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\nok",
	"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 9\r\n\r\n2\r\nok\r\n0\r\n\r\n",
	"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, identity\r\n\r\n2\r\nok\r\n0\r\n\r\n",
	"HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
	"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0002;a=\"b;c\" \t\r\nok\r\nA\r\n0123456789\r\n0\r\n\r\n",
	"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0000000000000002\r\nok\r\n0\r\n\r\n",
	"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2 ;x\r\nok\n0\n\n",
	"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\nX-A: a\r\n b\r\nX-B: c\nX-C: d\r\n\r\n",
	"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\nno colon\r\n\r\n",
	"HTTP/1.1 200 OK\r\nPragma: no-cache\r\nX-A: a\r\n\tb\r\nContent-Length: 2\r\n\r\nok",
	"HTTP/1.1 200 OK\r\nX-A : 1\r\nX-B: a\x00b\r\n\r\n",
	"HTTP/1.1 200 OK\nConnection: keep-alive, close\n\nall of it",
}

// FuzzParseAgainstNetHTTP feeds both parsers the same bytes. This parser
// must never accept a response net/http refuses (where they differ on
// accepting one, this parser is the stricter by design: see doc.go), and
// where both accept one they must read the same status, fields, framing
// and body.
func FuzzParseAgainstNetHTTP(f *testing.F) {
	for _, tt := range parseTests {
		f.Add(tt.raw, tt.method == "HEAD")
	}
	for _, raw := range fuzzSeeds {
		f.Add(raw, false)
	}
	f.Fuzz(func(t *testing.T, raw string, head bool) {
		method := "GET"
		if head {
			method = "HEAD"
		}
		// A small read buffer splits lines; the default one lets chunk
		// lines and trailers as long as net/http's through.
		for _, size := range []int{16, DefaultReadBufferSize} {
			agreeWithNetHTTP(t, raw, method, size)
		}
	})
}

func agreeWithNetHTTP(t *testing.T, raw, method string, bufSize int) {
	resp, body, err := parse(raw, method, bufSize)
	if err != nil {
		return
	}
	want, err := stdParse(raw, method)
	if err != nil {
		t.Fatalf("%q (buffer %d): accepted here, refused by net/http: %v", raw, bufSize, err)
	}
	if got := parsedOf(resp, body); !reflect.DeepEqual(got, want) {
		t.Fatalf("%q (buffer %d):\n got      %+v\n net/http %+v", raw, bufSize, got, want)
	}
}
