package session

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/schedule"
)

// Three requests, each with its method, path, header and body, are sent
// in turn: the server sees each exactly a third of the budget, as sent,
// and each is recorded under an endpoint of its own.
func TestRoundRobinSendsEachRequestInTurn(t *testing.T) {
	srv := newRecordingServer(t)
	reqs := []Request{
		{Method: "GET", URL: srv.URL + "/a", Header: http.Header{"X-Test": {"one"}}},
		{Method: "POST", URL: srv.URL + "/b", Header: http.Header{"X-Test": {"two"}}, Body: []byte(`{"b":2}`)},
		{Method: "PUT", URL: srv.URL + "/a", Header: http.Header{"X-Test": {"three"}}, Body: []byte("c")},
	}
	test, err := RoundRobin(reqs)
	if err != nil {
		t.Fatal(err)
	}
	test.Phases = []schedule.Phase{{Kind: schedule.Users, Users: 1, Duration: time.Minute}}
	test.MaxRequests = 30
	res, err := engine.Run(context.Background(), *test)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[seen]int{}
	for _, r := range srv.requests() {
		counts[r]++
	}
	want := map[seen]int{
		{"GET", "/a", "", "one", ""}:         10,
		{"POST", "/b", "", "two", `{"b":2}`}: 10,
		{"PUT", "/a", "", "three", "c"}:      10,
	}
	if !reflect.DeepEqual(counts, want) {
		t.Fatalf("server saw %v, want %v", counts, want)
	}
	if names := []string{"GET /a", "POST /b", "PUT /a"}; !reflect.DeepEqual(test.Endpoints, names) {
		t.Fatalf("endpoints %v, want %v", test.Endpoints, names)
	}
	for i, e := range res.Final.Endpoints {
		if e.Requests != 10 {
			t.Fatalf("endpoint %s recorded %d requests, want 10", test.Endpoints[i], e.Requests)
		}
	}
}

func TestRoundRobinNamesEndpointsApart(t *testing.T) {
	test, err := RoundRobin([]Request{
		{URL: "http://127.0.0.1:1/x"}, {URL: "http://127.0.0.2:1/x"}, {URL: "http://127.0.0.2:1/x", Body: []byte("b")},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"GET 127.0.0.1:1/x", "GET 127.0.0.2:1/x #2", "GET 127.0.0.2:1/x #3"}
	if !reflect.DeepEqual(test.Endpoints, want) {
		t.Fatalf("endpoints %v, want %v", test.Endpoints, want)
	}
}

func TestRoundRobinNamesTheBadRequest(t *testing.T) {
	_, err := RoundRobin([]Request{{URL: "http://127.0.0.1:1/"}, {URL: "/relative"}})
	if err == nil || !strings.Contains(err.Error(), "request 2:") {
		t.Fatalf("error %v, want one naming request 2", err)
	}
	if _, err := RoundRobin(nil); err == nil {
		t.Fatal("no requests accepted")
	}
}

// A long targets file does not make an endpoint of every URL: the
// summary, the results' intervals and every Prometheus series' endpoint
// label stay bounded however many URLs it lists.
func TestRoundRobinBoundsItsEndpoints(t *testing.T) {
	many := func(n int, url func(i int) string) []Request {
		reqs := make([]Request, n)
		for i := range reqs {
			reqs[i] = Request{URL: url(i)}
		}
		return reqs
	}
	for _, tc := range []struct {
		name  string
		reqs  []Request
		want  int    // endpoints
		check string // one of them
	}{
		{"100 of one path keep their places", many(100, func(i int) string { return fmt.Sprintf("http://127.0.0.1:1/x?i=%d", i) }), 100, "GET /x #100"},
		{"3,000 of three paths are three", many(3000, func(i int) string { return fmt.Sprintf("http://127.0.0.1:1/s/%d?i=%d", i%3, i) }), 3, "GET /s/2"},
		{"3,000 paths are 99 and the others", many(3000, func(i int) string { return fmt.Sprintf("http://127.0.0.1:1/u/%d", i) }), MaxQuickEndpoints, OtherTargets},
		{"101 paths", many(101, func(i int) string { return fmt.Sprintf("http://127.0.0.1:1/u/%d", i) }), MaxQuickEndpoints, "GET /u/98"},
	} {
		test, err := RoundRobin(tc.reqs)
		if err != nil {
			t.Fatal(err)
		}
		if len(test.Endpoints) != tc.want || !slices.Contains(test.Endpoints, tc.check) {
			t.Errorf("%s: %d endpoints (%v…), want %d with %q", tc.name, len(test.Endpoints),
				test.Endpoints[:min(5, len(test.Endpoints))], tc.want, tc.check)
		}
	}
}
