package difftest

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// UserIDBase makes served user ids stand out (7000+vu) from loop indexes
// and CSV numbers when the summary looks for them in later requests.
const UserIDBase = 7000

// Entry is one request the recorder received, with the answer it gave.
type Entry struct {
	Seq     int64             `json:"seq"`
	At      time.Time         `json:"at"`
	VU      int64             `json:"vu"`
	NewVU   bool              `json:"new_vu"`
	Method  string            `json:"method"`
	Path    string            `json:"path"`
	Query   string            `json:"query"`
	Headers map[string]string `json:"headers"`
	Body    string            `json:"body"`
	Resp    Answer            `json:"resp"`
}

// Answer is what the recorder sent back.
type Answer struct {
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers"`
	Body    any               `json:"body"` // decoded JSON, or text
}

// Recorder is a loopback HTTP server with a small deterministic API that
// logs every request. A request without the svu cookie starts a new VU:
// the recorder numbers it and sets the cookie, which a per-VU cookie jar
// then sends back on every later request of that VU.
type Recorder struct {
	srv     *http.Server
	ln      net.Listener
	mu      sync.Mutex
	entries []Entry
	seq     atomic.Int64
	vus     atomic.Int64
	tokens  atomic.Int64
}

// StartRecorder listens on an ephemeral port of 127.0.0.1.
func StartRecorder() (*Recorder, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	r := &Recorder{ln: ln}
	r.srv = &http.Server{Handler: r, ReadHeaderTimeout: 10 * time.Second}
	go r.srv.Serve(ln)
	return r, nil
}

// URL is the recorder's base URL.
func (r *Recorder) URL() string { return "http://" + r.ln.Addr().String() }

// Close stops the server.
func (r *Recorder) Close() error { return r.srv.Close() }

// Entries returns the requests received so far.
func (r *Recorder) Entries() []Entry {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Entry(nil), r.entries...)
}

var vuCookie = regexp.MustCompile(`(?:^|;\s*)svu=(\d+)`)

func (r *Recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(req.Body, 1<<20))
	e := Entry{Seq: r.seq.Add(1), At: time.Now(), Method: req.Method, Path: req.URL.Path,
		Query: req.URL.RawQuery, Headers: flatHeaders(req), Body: string(body)}
	if m := vuCookie.FindStringSubmatch(req.Header.Get("Cookie")); m != nil {
		e.VU, _ = strconv.ParseInt(m[1], 10, 64)
	} else {
		e.VU, e.NewVU = r.vus.Add(1), true
	}
	e.Resp = r.answer(req, e.VU)
	if e.NewVU {
		w.Header().Add("Set-Cookie", fmt.Sprintf("svu=%d; Path=/", e.VU))
	}
	r.mu.Lock()
	r.entries = append(r.entries, e)
	r.mu.Unlock()
	if req.URL.Path == "/slow" {
		time.Sleep(slowDelay(req))
	}
	write(w, req, e.Resp)
}

func write(w http.ResponseWriter, req *http.Request, a Answer) {
	var data []byte
	if s, ok := a.Body.(string); ok {
		data = []byte(s)
	} else {
		data, _ = json.Marshal(a.Body)
	}
	for k, v := range a.Headers {
		w.Header().Set(k, v)
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(a.Status)
	if req.Method != http.MethodHead {
		w.Write(data)
	}
}

// answer is the deterministic response to a request of VU vu.
func (r *Recorder) answer(req *http.Request, vu int64) Answer {
	a := Answer{Status: 200, Headers: map[string]string{"content-type": "application/json"}, Body: map[string]any{"ok": true}}
	switch p := req.URL.Path; {
	case p == "/login":
		a.Body = map[string]any{"token": fmt.Sprintf("tok-%d", r.tokens.Add(1)),
			"user": map[string]any{"id": UserIDBase + vu, "name": fmt.Sprintf("user-%d", vu)}}
		a.Headers["x-session"] = fmt.Sprintf("sess-%d", vu)
	case p == "/items":
		a.Body = map[string]any{"items": []any{
			map[string]any{"id": "i-red", "qty": 2}, map[string]any{"id": "i-green", "qty": 5},
			map[string]any{"id": "i-blue", "qty": 9}}}
	case strings.HasPrefix(p, "/status/"):
		code, err := strconv.Atoi(strings.TrimPrefix(p, "/status/"))
		if err != nil || code < 200 || code > 599 {
			code = 400
		}
		a.Status, a.Body = code, map[string]any{"status": code}
	case p == "/slow":
		a.Body = map[string]any{"slept_ms": slowDelay(req).Milliseconds()}
	case p == "/html":
		a.Headers["content-type"] = "text/html; charset=utf-8"
		a.Body = fmt.Sprintf(`<html><body><form><input type="hidden" name="csrf" value="csrf-%d"></form></body></html>`, vu)
	case p == "/text":
		a.Headers["content-type"] = "text/plain"
		a.Body = "plain text answer"
	default:
		extraAnswer(req, vu, &a)
	}
	return a
}

// extraAnswer serves the redirects and the HTML and XML pages.
func extraAnswer(req *http.Request, vu int64, a *Answer) {
	switch p := req.URL.Path; {
	case strings.HasPrefix(p, "/redirect/"):
		code, err := strconv.Atoi(strings.TrimPrefix(p, "/redirect/"))
		if err != nil || code < 300 || code > 399 {
			code = 302
		}
		to := req.URL.Query().Get("to")
		if to == "" {
			to = "/landed"
		}
		a.Status, a.Body = code, map[string]any{"redirect": code}
		a.Headers["location"] = to
	case p == "/loop":
		a.Status, a.Body = 302, map[string]any{"redirect": 302}
		a.Headers["location"] = "/loop"
	case p == "/list.html":
		a.Headers["content-type"] = "text/html; charset=utf-8"
		a.Body = fmt.Sprintf(listPage, vu)
	case p == "/feed.xml":
		a.Headers["content-type"] = "application/xml"
		a.Body = fmt.Sprintf(feedXML, vu)
	}
}

const listPage = `<!DOCTYPE html><html><head><title>Items</title></head><body>
<ul id="items">
<li><a class="item" href="/items/a" data-id="a">Apple</a></li>
<li><a class="item" href="/items/b" data-id="b">Banana</a></li>
<li><a class="item special" href="/items/c" data-id="c">Cherry</a></li>
</ul>
<form action="/submit"><input type="hidden" name="csrf" value="csrf-%d"></form>
</body></html>`

const feedXML = `<?xml version="1.0" encoding="UTF-8"?>
<feed><owner value="csrf-%d">me</owner>
<entry><id>e-1</id><title>First</title></entry>
<entry><id>e-2</id><title>Second</title></entry>
</feed>`

func slowDelay(req *http.Request) time.Duration {
	ms, err := strconv.Atoi(req.URL.Query().Get("ms"))
	if err != nil || ms < 0 {
		ms = 100
	}
	return time.Duration(min(ms, 10000)) * time.Millisecond
}

// flatHeaders lower-cases header names and joins repeated values.
func flatHeaders(req *http.Request) map[string]string {
	h := map[string]string{}
	keys := make([]string, 0, len(req.Header))
	for k := range req.Header {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		sep := ", "
		if strings.EqualFold(k, "cookie") {
			sep = "; "
		}
		h[strings.ToLower(k)] = strings.Join(req.Header[k], sep)
	}
	return h
}
