package targets

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

// files is a ReadFile over a map, for the @path lines.
func files(m map[string]string) ReadFile {
	return func(path string) ([]byte, error) {
		s, ok := m[path]
		if !ok {
			return nil, fmt.Errorf("open %s: no such file", path)
		}
		return []byte(s), nil
	}
}

func TestParseHTTPFormat(t *testing.T) {
	src := "# a comment\n" +
		"GET http://127.0.0.1:8080/a?x=1\n" +
		"GET http://user:pw@127.0.0.1:8080/b\n" +
		"x-account-id: 8675309\n" +
		"\n\n" +
		"POST http://127.0.0.1:8080/c\r\n" +
		"Content-Type: application/json\r\n" +
		"# inside a target\n" +
		"X-Two: 1\nX-Two: 2\n" +
		"@body.json\n" +
		"\n" +
		"DELETE http://127.0.0.1:8080/d\n" +
		"Authorization: Token a:b\n"
	ts, err := Parse(strings.NewReader(src), "t.txt", files(map[string]string{"body.json": `{"n":1}`}))
	if err != nil {
		t.Fatal(err)
	}
	want := []Target{
		{Method: "GET", URL: "http://127.0.0.1:8080/a?x=1", Line: 2},
		{Method: "GET", URL: "http://user:pw@127.0.0.1:8080/b", Line: 3, Header: http.Header{"X-Account-Id": {"8675309"}}},
		{Method: "POST", URL: "http://127.0.0.1:8080/c", Line: 7, Body: []byte(`{"n":1}`), BodyFile: "body.json",
			Header: http.Header{"Content-Type": {"application/json"}, "X-Two": {"1", "2"}}},
		{Method: "DELETE", URL: "http://127.0.0.1:8080/d", Line: 14, Header: http.Header{"Authorization": {"Token a:b"}}},
	}
	if !reflect.DeepEqual(ts, want) {
		t.Fatalf("got  %+v\nwant %+v", ts, want)
	}
}

func TestParseJSONFormat(t *testing.T) {
	src := `{"method":"POST","url":"http://127.0.0.1:8080/a","header":{"Content-Type":["text/plain"],"X-A":["1","2"]},"body":"UHVuY2gh"}` + "\n\n" +
		`{"method":"GET","url":"https://example.test/b"}` + "\n"
	ts, err := Parse(strings.NewReader(src), "t.json", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []Target{
		{Method: "POST", URL: "http://127.0.0.1:8080/a", Line: 1, Body: []byte("Punch!"),
			Header: http.Header{"Content-Type": {"text/plain"}, "X-A": {"1", "2"}}},
		{Method: "GET", URL: "https://example.test/b", Line: 3},
	}
	if !reflect.DeepEqual(ts, want) {
		t.Fatalf("got  %+v\nwant %+v", ts, want)
	}
}

func TestParseRefusesBadFilesWithTheirLine(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"empty", "\n# only a comment\n", "no targets"},
		{"no method", "http://127.0.0.1/\n", "t:1: \"http://127.0.0.1/\": want a request line"},
		{"lower-case method", "get http://127.0.0.1/\n", "t:1:"},
		{"relative URL", "GET /path\n", `t:1: "/path" is not an http(s) URL`},
		{"other scheme", "GET ftp://host/x\n", "t:1:"},
		{"bad header", "GET http://h/\nnot a header\n", "t:2: \"not a header\": want a header"},
		{"empty header value", "GET http://h/\nX-A:\n", "t:2:"},
		{"header name with space", "GET http://h/\nX A: 1\n", "t:2:"},
		{"missing body", "POST http://h/\n@nope.json\n", "t:2: body file: open nope.json"},
		{"empty body path", "POST http://h/\n@\n", "t:2: @ names no body file"},
		{"header after body", "POST http://h/\n@b\nX-A: 1\n", "t:3:"},
		{"json missing url", `{"method":"GET"}`, `t:1: a target needs "method" and "url"`},
		{"json unknown field", `{"method":"GET","url":"http://h/","extra":1}`, "t:1: json: unknown field"},
		{"json bad base64", `{"method":"GET","url":"http://h/","body":"%%%"}`, "t:1:"},
		{"json trailing", `{"method":"GET","url":"http://h/"} }`, "t:1:"},
		{"json header injection", `{"method":"GET","url":"http://h/","header":{"X":["a\r\nB: c"]}}`, "t:1: header X: value holds a line break"},
		{"json header not a list", `{"method":"GET","url":"http://h/","header":{"A":"b"}}`,
			`t:1: "header": each value is a list of strings, as in {"header": {"Accept": ["text/plain"]}}`},
		{"json body not a string", `{"method":"GET","url":"http://h/","body":5}`, `t:1: "body": a string of base64`},
		{"json second line bad", "{\"method\":\"GET\",\"url\":\"http://h/\"}\nGET http://h/\n", "t:2:"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(c.src), "t", files(map[string]string{"b": "x"}))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want it to contain %q", err, c.want)
			}
		})
	}
}

func TestEmptyFileIsErrNoTargets(t *testing.T) {
	if _, err := Parse(strings.NewReader(""), "t", nil); !errors.Is(err, ErrNoTargets) {
		t.Fatalf("error %v, want ErrNoTargets", err)
	}
}

// jsonLines writes targets in the JSON format.
func jsonLines(t testing.TB, ts []Target) string {
	var b strings.Builder
	for _, tg := range ts {
		line, err := json.Marshal(map[string]any{"method": tg.Method, "url": tg.URL, "header": tg.Header, "body": tg.Body})
		if err != nil {
			t.Fatal(err)
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	return b.String()
}

// FuzzParse: no input makes Parse panic; what it accepts is sendable
// (a method, an http(s) URL, headers that inject nothing), and the same
// targets written in the JSON format read back the same.
func FuzzParse(f *testing.F) {
	f.Add("GET http://127.0.0.1:8080/\n")
	f.Add("# c\nPOST http://h/x\nA: b\n@b\n\nGET http://h/y\nGET http://h/z\n")
	f.Add(`{"method":"PUT","url":"http://h/","header":{"K":["v"]},"body":"eA=="}` + "\n")
	f.Add("GET http://h/\n\r\nX: y\n")
	f.Fuzz(func(t *testing.T, src string) {
		ts, err := Parse(strings.NewReader(src), "f", files(map[string]string{"b": "body"}))
		if err != nil {
			return
		}
		for _, tg := range ts {
			if !isMethod(tg.Method) || checkURL(tg.URL) != nil {
				t.Fatalf("accepted %+v", tg)
			}
			for name, vs := range tg.Header {
				for _, v := range vs {
					if checkHeader(name, v) != nil {
						t.Fatalf("accepted header %q: %q", name, v)
					}
				}
			}
		}
		again, err := Parse(strings.NewReader(jsonLines(t, ts)), "f", nil)
		if err != nil {
			t.Fatalf("targets written as JSON do not read back: %v", err)
		}
		for i := range ts {
			a, b := ts[i], again[i]
			if a.Method != b.Method || a.URL != b.URL || string(a.Body) != string(b.Body) || !reflect.DeepEqual(a.Header, b.Header) {
				t.Fatalf("target %d: %+v read back as %+v", i, a, b)
			}
		}
	})
}
