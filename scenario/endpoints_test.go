package scenario

import (
	"testing"
)

// TestEndpointKeysAsArtillery: the keys Artillery 2.0.34's
// metrics-by-endpoint plugin gave these requests (its -o report), target
// http://127.0.0.1:8080.
func TestEndpointKeysAsArtillery(t *testing.T) {
	const target = "http://127.0.0.1:8080"
	written := MetricsByEndpoint{} // metrics-by-endpoint: {}
	byDefault := Plugins{}.ByEndpoint()
	named := MetricsByEndpoint{UseOnlyRequestNames: true, IgnoreUnnamedRequests: true, StripQueryString: true}
	tests := []struct {
		opts      MetricsByEndpoint
		url, name string
		want      string
		counted   bool
	}{
		{written, "/q?a=1", "", "/q?a=1", true},
		{written, "/q?a=1", "nq", "/q?a=1 (nq)", true},
		{written, "/a%20b/{{ x }}#frag", "", "/a b/{{ x }}", true},
		{written, "http://localhost:8080/abs?z=1", "", "localhost/abs?z=1", true},
		{written, "http://127.0.0.1:9/abs", "", ":9/abs", true},
		{written, "http://127.0.0.1:8080", "", "/", true},
		{written, "/items", "list", "/items (list)", true},
		{written, "/users/{{ id }}", "", "/users/{{ id }}", true},
		{byDefault, "/q?a=1", "", "/q", true},
		{byDefault, "/q?a=1", "nq", "/q (nq)", true},
		{named, "/q?a=1", "nq", "nq", true},
		{named, "/q?a=1", "", "", false},
		{written, "/bad%zz", "", "/bad%zz", true},
	}
	for _, tt := range tests {
		got, counted := tt.opts.Key(target, tt.url, tt.name)
		if got != tt.want || counted != tt.counted {
			t.Errorf("%+v %q %q: key %q (counted %v), want %q (%v)", tt.opts, tt.url, tt.name, got, counted, tt.want, tt.counted)
		}
	}
}

func TestEndpointKeysOfScript(t *testing.T) {
	s, err := Parse("a.yml", []byte(`config:
  target: http://h
  plugins: {metrics-by-endpoint: {metricsNamespace: mbe}}
scenarios:
  - flow:
      - get: {url: /items, name: list}
      - get: {url: "/users/{{ id }}"}
      - post: {url: "/users/{{ id }}"}
      - loop:
          - get: {url: /a, name: shared}
          - get: {url: /b, name: shared}
        count: 2
`))
	if err != nil {
		t.Fatal(err)
	}
	k := s.EndpointKeys("http://h")
	if k.Namespace != "mbe" {
		t.Errorf("namespace %q", k.Namespace)
	}
	want := map[string]string{
		"list":                 "/items (list)",
		"GET /users/{{ id }}":  "/users/{{ id }}",
		"POST /users/{{ id }}": "/users/{{ id }}",
		// One name on two URLs: two endpoints, named by their keys.
		"/a (shared)": "/a (shared)",
		"/b (shared)": "/b (shared)",
	}
	if len(k.Keys) != len(want) {
		t.Errorf("keys %v, want %v", k.Keys, want)
	}
	for name, key := range want {
		if k.Keys[name] != key {
			t.Errorf("endpoint %q: key %q, want %q", name, k.Keys[name], key)
		}
	}
	loop := s.Scenarios[0].Flow[3].Loop.Steps
	if n := k.Name(loop[1].Request); n != "/b (shared)" {
		t.Errorf("endpoint of the second shared request: %q", n)
	}
	if n := k.Name(s.Scenarios[0].Flow[0].Request); n != "list" {
		t.Errorf("endpoint of list: %q", n)
	}
}

func TestMetricsByEndpointOptions(t *testing.T) {
	s, err := Parse("a.yml", []byte("config:\n  plugins:\n    metrics-by-endpoint: {useOnlyRequestNames: true, stripQueryString: true, ignoreUnnamedRequests: true, metricsNamespace: x, groupDynamicURLs: true, suppressOutput: true}\nscenarios: [{flow: [{get: {url: /}}]}]\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := MetricsByEndpoint{UseOnlyRequestNames: true, StripQueryString: true, IgnoreUnnamedRequests: true, Namespace: "x"}
	if got := s.Config.Plugins.ByEndpoint(); got != want {
		t.Errorf("options %+v, want %+v", got, want)
	}
	for _, tt := range []struct{ opts, want string }{
		{"{stripQueryStrings: true}", `bad.yml:2:35: config.plugins.metrics-by-endpoint: unknown field "stripQueryStrings"; did you mean "stripQueryString"?`},
		{"{metricsPrefix: x}", `bad.yml:2:35: config.plugins.metrics-by-endpoint: unknown field "metricsPrefix"; did you mean "metricsNamespace"?`},
		{"{groupDynamicURLs: false}", `bad.yml:2:53: config.plugins.metrics-by-endpoint.groupDynamicURLs: false is not supported`},
		{"{useOnlyRequestNames: \"true\"}", `bad.yml:2:56: config.plugins.metrics-by-endpoint.useOnlyRequestNames: expected true or false`},
	} {
		wantScriptError(t, "bad.yml", "config:\n  plugins: {metrics-by-endpoint: "+tt.opts+"}\nscenarios: [{flow: [{get: {url: /}}]}]\n", tt.want)
	}
}

// TestThresholdKeyNotRendered: Artillery renders config keys through a
// lodash path, where a key with a dot stays as written; the threshold
// names the metric of the URL as written.
func TestThresholdKeyNotRendered(t *testing.T) {
	s, err := Parse("a.yml", []byte(`config:
  plugins: {ensure: {}}
  ensure:
    thresholds:
      - "plugins.metrics-by-endpoint.response_time./users/{{ id }}.p95": 1000
  variables: {id: 7}
scenarios: [{flow: [{get: {url: "/users/{{ id }}"}}]}]
`))
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Config.Ensure.Thresholds[0].Metric; got != "plugins.metrics-by-endpoint.response_time./users/{{ id }}.p95" {
		t.Errorf("threshold metric %q", got)
	}
	if len(s.Warnings) > 0 {
		t.Errorf("warnings: %v", s.Warnings)
	}
}
