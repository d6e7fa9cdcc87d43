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

// FuzzParseAgainstNetHTTP feeds both parsers the same bytes: where both
// accept a response they must read the same status, fields, framing and
// body. (Where they differ on accepting one, this parser is the stricter
// by design: see doc.go.)
func FuzzParseAgainstNetHTTP(f *testing.F) {
	for _, tt := range parseTests {
		f.Add(tt.raw, tt.method == "HEAD")
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
		want, err := stdParse(raw, method)
		if err != nil {
			return
		}
		if got := parsedOf(resp, body); !reflect.DeepEqual(got, want) {
			t.Fatalf("%q:\n got      %+v\n net/http %+v", raw, got, want)
		}
	})
}
