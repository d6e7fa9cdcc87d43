package flow

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/scenario"
)

const expectStatusScript = `config:
  phases: [{duration: 1, arrivalCount: 4}]
  http:
    expectStatus: [200, 404]
scenarios:
  - flow:
      - get: {url: "/ok"}
      - get: {url: "/missing"}
      - get: {url: "/boom"}
`

// statusServer answers 404 for /missing, 500 for /boom and 200 otherwise.
func statusServer(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/missing":
			w.WriteHeader(http.StatusNotFound)
		case "/boom":
			w.WriteHeader(http.StatusInternalServerError)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func runExpecting(t *testing.T, expect *metrics.StatusSet) metrics.Snapshot {
	t.Helper()
	s, err := scenario.Parse("t.yml", []byte(expectStatusScript))
	if err != nil {
		t.Fatal(err)
	}
	p, err := Build(s, Options{Target: statusServer(t).URL, Log: io.Discard, Report: io.Discard, Expect: expect})
	if err != nil {
		t.Fatal(err)
	}
	res, err := engine.Run(context.Background(), *p.Test)
	if err != nil {
		t.Fatal(err)
	}
	return res.Final
}

// TestExpectStatusDecidesFailures: with expectStatus [200, 404] only the
// 500s fail; --expect-status (Options.Expect) overrides the script.
func TestExpectStatusDecidesFailures(t *testing.T) {
	f := runExpecting(t, nil)
	if f.Total.Requests != 12 || f.Total.Failures != 4 || f.Total.Errors != 0 || f.Total.Codes[404] != 4 {
		t.Fatalf("script's set: %d requests, %d failures, %d errors, codes %v; want 4 failures (the 500s)",
			f.Total.Requests, f.Total.Failures, f.Total.Errors, f.Total.Codes)
	}
	only200, err := metrics.ParseStatusSet("200")
	if err != nil {
		t.Fatal(err)
	}
	if f := runExpecting(t, &only200); f.Total.Failures != 8 {
		t.Fatalf("with --expect-status 200: %d failures, want 8 (404s and 500s)", f.Total.Failures)
	}
}
