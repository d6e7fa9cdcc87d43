package transport

import "testing"

func TestURLProblem(t *testing.T) {
	for raw, want := range map[string]string{
		"http://127.0.0.1:8080/x?a=1": "",
		"https://example.test/a%20b":  "",
		"http://[::1]:80/":            "",
		"http://h/a b":                "", // the path is escaped when sent
		"http://127.0.0.1:65535/":     "",
		"ftp://h/":                    "is not an http(s) URL with a host",
		"http:///x":                   "is not an http(s) URL with a host",
		"http://127.0.0.1:99999/":     "has port 99999, outside 1-65535",
		"http://127.0.0.1:0/":         "has port 0, outside 1-65535",
		"http://h:70000":              "has port 70000, outside 1-65535",
		"http://h/?q=x y":             "has a space in its query (write it as %20 or +)",
		"http://h/?q=x\ty":            "is not an http(s) URL with a host: net/url: invalid control character in URL",
		"http://h/%zz":                "is not an http(s) URL with a host: a % not followed by two hexadecimal digits (write % itself as %25)",
		"http://u:se%zz@h/":           "is not an http(s) URL with a host: a % not followed by two hexadecimal digits (write % itself as %25)", // the password's text stays out
		"http://127.0.0.1:abc/":       `is not an http(s) URL with a host: invalid port ":abc" after host`,
		"http://[::1/":                "is not an http(s) URL with a host: missing ']' in host",
		// A number Go would look up as a name (hey's -q 100 left its
		// value behind as a URL): every request an ENOTFOUND.
		"http://100":                    "has host 100: a number, but not an IPv4 address a.b.c.d",
		"http://127.1:8080/":            "has host 127.1: a number, but not an IPv4 address a.b.c.d",
		"http://10.0.0.01/":             "has host 10.0.0.01: a number, but not an IPv4 address a.b.c.d",
		"http://10.0.0.1/":              "",
		"http://[::1%25lo]/":            "",
		"http://1e100.net/":             "",
		"http://h/?q=x%20y":             "",
		"http://user:pw@127.0.0.1:1/?a": "",
	} {
		if got := URLProblem(raw); got != want {
			t.Errorf("URLProblem(%q) = %q, want %q", raw, got, want)
		}
	}
}

func FuzzURLProblem(f *testing.F) {
	for _, s := range []string{"http://h:1/", "http://h:99999/?a b", "https://[::1]/x?y=z", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		URLProblem(raw) // must not panic, whatever the input
	})
}
