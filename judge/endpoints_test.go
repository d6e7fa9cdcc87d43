package judge

import (
	"fmt"
	"strings"
	"testing"
)

func TestCheckEndpointsRefusesRulesOnEndpointsTheTestLacks(t *testing.T) {
	al := alerts(t, `alerts:
  - {name: slow-a, metric: latency, endpoint: GET /a, statistic: p99, comparison: ">", threshold: 1}
  - {name: cpu, series: process_cpu_seconds_total, statistic: Maximum, comparison: ">", threshold: 1}
`)
	names := []string{"GET /a", "GET /b"}
	for _, tt := range []struct {
		name  string
		rules Rules
		want  string // "" for no error
	}{
		{"rules on known endpoints and on every endpoint", Rules{Alerts: al,
			Thresholds: thresholds(t, "GET /b: p(95)<100ms", "p(99)<1s", `http_req_failed{name:"GET /a"}: rate<1%`)}, ""},
		{"a threshold with a typo", Rules{Thresholds: thresholds(t, "p(99)<1s", "GET /bb: p(95)<100ms")},
			`threshold "GET /bb: p(95)<100ms": the test has no endpoint "GET /bb"`},
		{"a k6 tag naming no endpoint", Rules{Thresholds: thresholds(t, `http_req_duration{name:"GET /c"}: p(95)<100`)},
			`has no endpoint "GET /c"`},
		{"an alert on an endpoint renamed", Rules{Alerts: alerts(t, `alerts:
  - {name: old, metric: failure_rate, endpoint: GET /old, comparison: ">", threshold: 1%}
`)}, `alert "old": the test has no endpoint "GET /old"`},
	} {
		err := tt.rules.CheckEndpoints(names)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s: error %v, want one with %q", tt.name, err, tt.want)
		case tt.want != "" && !strings.Contains(err.Error(), `as the script writes them): "GET /a", "GET /b"`):
			t.Errorf("%s: %v does not list the test's endpoints", tt.name, err)
		}
	}
}

func TestCheckEndpointsListsAFewOfMany(t *testing.T) {
	var names []string
	for i := range 25 {
		names = append(names, fmt.Sprintf("GET /p%d", i))
	}
	err := Rules{Thresholds: thresholds(t, "GET /q: p(95)<100ms")}.CheckEndpoints(names)
	if err == nil || !strings.Contains(err.Error(), `"GET /p9" and 15 more`) || strings.Contains(err.Error(), "GET /p10") {
		t.Errorf("error %v, want the first %d endpoints and a count of the rest", err, listedEndpoints)
	}
}

func TestCheckEndpointsSuggestsTheNearestName(t *testing.T) {
	names := []string{"GET /api/item.json", "GET /api/items/{{ id }}.json"}
	err := Rules{Thresholds: thresholds(t, "GET /api/itemz.json: p(95)<100ms")}.CheckEndpoints(names)
	if err == nil || !strings.Contains(err.Error(), `(did you mean "GET /api/item.json"?)`) {
		t.Errorf("a one-letter typo: %v", err)
	}
	err = Rules{Thresholds: thresholds(t, "POST /login: p(95)<100ms")}.CheckEndpoints(names)
	if err == nil || strings.Contains(err.Error(), "did you mean") {
		t.Errorf("nothing near: %v", err)
	}
}
