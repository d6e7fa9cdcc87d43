package engine

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/surge-dev/surge/schedule"
)

// A held response counts as the caller says: Fail fails a 200 and lists
// its reason, Pass clears a 404, Record keeps the engine's verdict (a 500
// failed), a second verdict changes nothing, and a redirect hop before a
// held response is recorded on its own.
func TestPendingResponsesCountAsTheCallerJudges(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/missing":
			w.WriteHeader(http.StatusNotFound)
		case "/broken":
			w.WriteHeader(http.StatusInternalServerError)
		case "/moved":
			http.Redirect(w, r, "/ok", http.StatusFound)
		case "/loop":
			http.Redirect(w, r, "/loop", http.StatusFound)
		}
	}))
	defer srv.Close()
	control := NewControl()
	test := Test{Phases: []schedule.Phase{{Kind: schedule.Count, ArrivalCount: 1}}, Control: control}
	names := map[string]int{}
	for _, n := range []string{"failed", "passed", "recorded", "redirected", "looped"} {
		names[n] = test.Endpoint(n)
	}
	send := func(vu *VU, name, path string) *Pending {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		_, p, err := vu.DoPending(names[name], req, true)
		if err != nil {
			t.Error(err)
		}
		return p
	}
	test.Scenarios = []Scenario{{Name: "s", Run: func(ctx context.Context, vu *VU) error {
		p := send(vu, "failed", "/ok")
		p.Fail("no id in the response")
		p.Pass() // too late: the first verdict counts
		send(vu, "passed", "/missing").Pass()
		send(vu, "recorded", "/broken").Record()
		send(vu, "redirected", "/moved").Record()
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/loop", nil)
		if _, p, err := vu.DoPending(names["looped"], req, true); err == nil || p != nil {
			t.Errorf("a redirect loop: error %v, pending %v; want an error and every hop recorded", err, p)
		}
		return nil
	}}}
	res, err := Run(context.Background(), test)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]int64{"failed": {1, 1}, "passed": {1, 0}, "recorded": {1, 1}, "redirected": {2, 0},
		"looped": {MaxRedirects, 0}}
	for _, e := range res.Final.Endpoints {
		if w := want[e.Name]; e.Requests != w[0] || e.Failures != w[1] {
			t.Errorf("%s: %d requests, %d failed; want %d and %d", e.Name, e.Requests, e.Failures, w[0], w[1])
		}
	}
	if len(res.Final.Endpoints) != len(want) {
		t.Errorf("endpoints %+v", res.Final.Endpoints)
	}
	errs := control.Errors()
	if len(errs) != 1 || errs[0].Kind != FailureKind || errs[0].Endpoint != "failed" || errs[0].Message != "no id in the response" {
		t.Fatalf("error list %+v, want the one failure with its reason", errs)
	}
}
