package session

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/schedule"
)

func TestOneRequestSendsTheSameRequestEveryTime(t *testing.T) {
	srv := newRecordingServer(t)
	url := strings.Replace(srv.URL, "http://", "http://alice:s3cret@", 1) + "/items"
	test, err := OneRequest("POST", url, http.Header{"X-Test": {"yes"}}, []byte(`{"n":1}`))
	if err != nil {
		t.Fatal(err)
	}
	test.Phases = []schedule.Phase{{Kind: schedule.Users, Users: 2, Duration: 400 * time.Millisecond}}
	res, err := engine.Run(context.Background(), *test)
	if err != nil {
		t.Fatal(err)
	}
	reqs := srv.requests()
	if len(reqs) == 0 || int64(len(reqs)) != res.Final.Total.Requests || test.Endpoints[0] != "POST /items" {
		t.Fatalf("server %d, engine %d requests; endpoints %v", len(reqs), res.Final.Total.Requests, test.Endpoints)
	}
	want := seen{"POST", "/items", "Basic YWxpY2U6czNjcmV0", "yes", `{"n":1}`}
	for _, r := range reqs {
		if r != want {
			t.Fatalf("request %+v, want %+v", r, want)
		}
	}
}

func TestOneRequestNamesAnEmptyPathSlash(t *testing.T) {
	test, err := OneRequest("", "http://127.0.0.1:1", nil, nil)
	if err != nil || test.Endpoints[0] != "GET /" || test.Conns != engine.Shared {
		t.Fatalf("%v: endpoints %v, conns %v", err, test.Endpoints, test.Conns)
	}
}

func TestOneRequestRefusesWhatCannotBeSent(t *testing.T) {
	for _, tc := range []struct {
		method, url string
		header      http.Header
		want        string
	}{
		{"GET", "ftp://127.0.0.1/", nil, "not an http(s) URL"},
		{"GET", "http://", nil, "not an http(s) URL"},
		{"GET", "127.0.0.1:8080", nil, "not an http(s) URL"},
		{"GET", "http://bob:hunter2@/x", nil, "bob:xxxxx@"},
		{"GE T", "http://127.0.0.1/", nil, "method"},
		{"GET", "http://127.0.0.1/", http.Header{"X-A": {"1\r\nX-Injected: 1"}}, "line break"},
		{"GET", "http://127.0.0.1/", http.Header{"Bad Name": {"1"}}, "header name"},
	} {
		_, err := OneRequest(tc.method, tc.url, tc.header, nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "hunter2") {
			t.Errorf("OneRequest(%q, %q, %v): %v, want an error about %q", tc.method, tc.url, tc.header, err, tc.want)
		}
	}
}

// TestParseHeadersReplacesTheDefaults: -H 'User-Agent: hey/0.0.1' sent
// two User-Agent fields, Surge's and the one given, in any case of the
// name; a line now replaces a default (an empty value sends none, as
// curl's -H 'User-Agent:' and net/http do).
func TestParseHeadersReplacesTheDefaults(t *testing.T) {
	for _, tc := range []struct {
		lines         []string
		agent, accept []string
	}{
		{nil, []string{"Surge (load test)"}, []string{"gzip"}},
		{[]string{"User-Agent: hey/0.0.1"}, []string{"hey/0.0.1"}, []string{"gzip"}},
		{[]string{"user-agent: hey/0.0.1"}, []string{"hey/0.0.1"}, []string{"gzip"}},
		{[]string{"USER-AGENT:"}, []string{""}, []string{"gzip"}},
		{[]string{"accept-encoding: br", "X-A: 1"}, []string{"Surge (load test)"}, []string{"br"}},
		{[]string{"X-A: 1", "x-a: 2"}, []string{"Surge (load test)"}, []string{"gzip"}},
	} {
		h, err := ParseHeaders(tc.lines)
		if err != nil {
			t.Fatalf("%q: %v", tc.lines, err)
		}
		if got := h.Values("User-Agent"); !slices.Equal(got, tc.agent) {
			t.Errorf("%q: User-Agent %q, want %q", tc.lines, got, tc.agent)
		}
		if got := h.Values("Accept-Encoding"); !slices.Equal(got, tc.accept) {
			t.Errorf("%q: Accept-Encoding %q, want %q", tc.lines, got, tc.accept)
		}
	}
	for line, want := range map[string]string{
		"NoColon":            `"NoColon": want 'Name: value'`,
		": v":                `": v": want 'Name: value'`,
		"Bad Name: v":        `header name "Bad Name"`,
		"X-A: 1\r\nX-B: 2":   "line break would inject a header",
		"X-A: bell\a":        "control character",
		"Host: a.test\r\nX:": "control character",
	} {
		if _, err := ParseHeaders([]string{line}); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want an error with %q", line, err, want)
		}
	}
}
