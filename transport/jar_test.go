package transport

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"
)

// TestJarAsToughCookie checks the jar against what Artillery 2.0.34
// (tough-cookie 5.1.2) sent back for the same Set-Cookie fields, seen on
// a loopback server.
func TestJarAsToughCookie(t *testing.T) {
	var j Jar
	u, _ := url.Parse("http://127.0.0.1:8080/sc")
	if j.Active() || j.Header(u) != "" {
		t.Fatal("an empty jar has cookies")
	}
	j.Store(u, http.Header{"Set-Cookie": {
		`j={"a":1,"b":[2,3]}; Path=/`, "c=x,y", "e=", "u=\xc3\xa9", "sp= has space ", `q="quoted"`, `bs=a\b`,
		"s1=a; Secure", "d1=b; Domain=127.0.0.1", "l=i; Domain=localhost", "h=c; HttpOnly", "__Secure-x=d", "__Host-y=1; Secure; Path=/",
		"p=e; Path=/p", "z=f; Max-Age=0", "m=g; Max-Age=100", "ex=h; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
		"noeq", "=v", "t=a\tb", "ctl=\x01",
	}})
	if !j.On() {
		t.Error("a Set-Cookie did not switch the jar on")
	}
	if n := j.TakeRejected(); n != 6 { // d1, l, noeq, =v, t, ctl
		t.Errorf("%d refused, want 6", n)
	}
	want := `j={"a":1,"b":[2,3]}; c=x,y; e=; u=` + "\xc3\xa9" + `; sp=has space; q="quoted"; bs=a\b; h=c; m=g`
	next, _ := url.Parse("http://127.0.0.1:8080/next")
	if got := j.Header(next); got != want {
		t.Errorf("/next got\n%s\nwant\n%s", got, want)
	}
	px, _ := url.Parse("http://127.0.0.1:8080/p/x")
	if got := j.Header(px); got != "p=e; "+want {
		t.Errorf("/p/x got %s", got)
	}
	if got := j.Header(next); got != want { // from the cache
		t.Errorf("/next again got %s", got)
	}
	sec, _ := url.Parse("https://127.0.0.1:8080/")
	if got := j.Header(sec); got != `j={"a":1,"b":[2,3]}; c=x,y; e=; u=`+"\xc3\xa9"+`; sp=has space; q="quoted"; bs=a\b; s1=a; h=c; __Host-y=1; m=g` {
		t.Errorf("https got %s", got)
	}
	// A step's cookie: "a;b" is a=a with an attribute b; replacing keeps
	// the cookie's place; Max-Age=0 removes it.
	j.Set(next, "c=new;b")
	j.Set(next, "m=gone; Max-Age=0")
	want = `j={"a":1,"b":[2,3]}; c=new; e=; u=` + "\xc3\xa9" + `; sp=has space; q="quoted"; bs=a\b; h=c`
	if got := j.Header(next); got != want {
		t.Errorf("after Set got\n%s\nwant\n%s", got, want)
	}
}

func TestJarDomains(t *testing.T) {
	var j Jar
	u, _ := url.Parse("http://www.example.com/a/b")
	for _, c := range []string{"d=1; Domain=.Example.COM; Path=/", "co=1; Domain=com", "o=1; Domain=other.org", "h=1"} {
		j.Set(u, c)
	}
	for in, want := range map[string]string{
		"http://www.example.com/a/x": "h=1; d=1", // longest path first
		"http://api.example.com/":    "d=1",
		"http://example.com/a":       "d=1",
		"http://www.example.com/":    "d=1",
		"http://other.org/":          "",
	} {
		v, _ := url.Parse(in)
		if got := j.Header(v); got != want {
			t.Errorf("%s: %q, want %q", in, got, want)
		}
	}
}

func TestJarBounded(t *testing.T) {
	var j Jar
	u, _ := url.Parse("http://h/")
	k, _ := url.Parse("http://h/k")
	j.Set(u, "keep=1; Path=/k")
	for i := range MaxJarCookies + 50 {
		j.Set(u, fmt.Sprintf("c%d=%d; Path=/o", i, i))
		if i%10 == 0 {
			j.Header(k) // keep is sent: it stays
		}
	}
	if n := len(j.cookies); n != MaxJarCookies {
		t.Errorf("%d cookies, want %d", n, MaxJarCookies)
	}
	if j.cookies[0].name != "keep" {
		t.Errorf("the cookie sent last was evicted")
	}
	big := make([]byte, 100<<10)
	for i := range big {
		big[i] = 'x'
	}
	for i := range 5 {
		j.Set(u, fmt.Sprintf("big%d=%s", i, big))
	}
	if j.size > MaxJarBytes {
		t.Errorf("%d bytes held, bound %d", j.size, MaxJarBytes)
	}
}

func TestCookieDate(t *testing.T) {
	for in, ok := range map[string]bool{
		"Thu, 01 Jan 1970 00:00:00 GMT": true, "Sun, 06-Nov-94 08:49:37 GMT": true, "Wed, 21 Oct 2015 07:28:00": true,
		"tomorrow": false, "Thu, 32 Jan 2020 00:00:00 GMT": false, "Thu, 01 Jan 1500 00:00:00 GMT": false,
	} {
		if _, got := parseCookieDate(in); got != ok {
			t.Errorf("%q parsed %v", in, got)
		}
	}
}
