package h1

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
)

// captureServer records the bytes of each request it reads (parsed with
// net/http's reader only to know where a request ends) and answers 200.
func captureServer(t *testing.T) (addr string, got <-chan string) {
	ch := make(chan string, 16)
	addr = rawServer(t, func(c net.Conn) {
		var raw bytes.Buffer
		br := bufio.NewReader(io.TeeReader(c, &raw))
		for {
			req, err := http.ReadRequest(br)
			if err != nil {
				return
			}
			io.Copy(io.Discard, req.Body)
			ch <- raw.String()
			raw.Reset()
			io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
		}
	})
	return addr, ch
}

type wireTest struct {
	name   string
	method string
	path   string
	body   func() io.Reader
	edit   func(*http.Request)
	want   string // {host} stands for the Host field
}

var wireTests = []wireTest{
	{name: "get", method: "GET", path: "/",
		want: "GET / HTTP/1.1\r\n{host}\r\n"},
	{name: "query", method: "GET", path: "/search?q=a%20b&x=1",
		want: "GET /search?q=a%20b&x=1 HTTP/1.1\r\n{host}\r\n"},
	{name: "escaped path", method: "GET", path: "/a%2Fb/c%20d",
		want: "GET /a%2Fb/c%20d HTTP/1.1\r\n{host}\r\n"},
	{name: "headers", method: "GET", path: "/h",
		edit: func(r *http.Request) {
			r.Header.Set("User-Agent", "surge")
			r.Header.Set("Accept", "*/*")
			r.Header["X-Multi"] = []string{"a", " b "}
			r.Header.Set("Host", "ignored")
			r.Header.Set("Content-Length", "99")
		},
		want: "GET /h HTTP/1.1\r\n{host}Accept: */*\r\nUser-Agent: surge\r\nX-Multi: a\r\nX-Multi: b\r\n\r\n"},
	{name: "host override, empty agent", method: "GET", path: "/",
		edit: func(r *http.Request) { r.Host = "example.com"; r.Header.Set("User-Agent", "") },
		want: "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n"},
	{name: "post", method: "POST", path: "/items",
		body: func() io.Reader { return strings.NewReader(`{"id":1}`) },
		edit: func(r *http.Request) { r.Header.Set("Content-Type", "application/json") },
		want: "POST /items HTTP/1.1\r\n{host}Content-Type: application/json\r\nContent-Length: 8\r\n\r\n{\"id\":1}"},
	{name: "post empty", method: "POST", path: "/p",
		want: "POST /p HTTP/1.1\r\n{host}Content-Length: 0\r\n\r\n"},
	{name: "post unknown length", method: "POST", path: "/p",
		body: func() io.Reader { return io.NopCloser(strings.NewReader("hello")) },
		want: "POST /p HTTP/1.1\r\n{host}Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"},
	{name: "close", method: "DELETE", path: "/x/1",
		edit: func(r *http.Request) { r.Close = true },
		want: "DELETE /x/1 HTTP/1.1\r\n{host}Connection: close\r\n\r\n"},
}

func TestRequestWire(t *testing.T) {
	addr, got := captureServer(t)
	tr := newTransport(t, nil)
	for _, tt := range wireTests {
		t.Run(tt.name, func(t *testing.T) {
			var body io.Reader
			if tt.body != nil {
				body = tt.body()
			}
			req, err := http.NewRequest(tt.method, "http://"+addr+tt.path, body)
			if err != nil {
				t.Fatal(err)
			}
			if tt.edit != nil {
				tt.edit(req)
			}
			resp, err := tr.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			want := strings.ReplaceAll(tt.want, "{host}", "Host: "+addr+"\r\n")
			if wire := <-got; wire != want {
				t.Errorf("wire:\n%q\nwant:\n%q", wire, want)
			}
		})
	}
}

func TestRequestRejected(t *testing.T) {
	addr, _ := captureServer(t)
	tr := newTransport(t, nil)
	tests := []struct {
		name string
		edit func(*http.Request)
		want string
	}{
		{"value with CRLF", func(r *http.Request) { r.Header.Set("X-A", "a\r\nX-Evil: 1") }, "invalid header field value"},
		{"bad name", func(r *http.Request) { r.Header["Bad Name"] = []string{"x"} }, "invalid header field name"},
		{"short body", func(r *http.Request) { r.ContentLength = 10 }, "ContentLength=10 with Body length 5"},
		{"long body", func(r *http.Request) { r.ContentLength = 3 }, "ContentLength=3 with a longer Body"},
		{"length without body", func(r *http.Request) { r.Body = nil; r.ContentLength = 3 }, "with nil Body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest("PUT", "http://"+addr+"/", strings.NewReader("hello"))
			tt.edit(req)
			_, err := tr.RoundTrip(req)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}
