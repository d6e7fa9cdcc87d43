package session

import (
	"context"
	"net/http"
	"reflect"
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
