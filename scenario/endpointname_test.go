package scenario

import "testing"

// An unnamed request's endpoint is its URL as written, but never the
// credentials written into it: the name is in the summary, the results,
// the stream, the report, the dashboard and every Prometheus label.
func TestEndpointNamesHideCredentials(t *testing.T) {
	for url, want := range map[string]string{
		"/items?limit=10":                                          "/items?limit=10",
		"/sleep?ms=1&token=SECRET":                                 "/sleep?ms=1&token=xxxxx",
		"/a?access_token=S&api_key=S&API-KEY=S&Sig=S":              "/a?access_token=xxxxx&api_key=xxxxx&API-KEY=xxxxx&Sig=xxxxx",
		"/a?X-Amz-Signature=S&X-Amz-Credential=S&x=1":              "/a?X-Amz-Signature=xxxxx&X-Amz-Credential=xxxxx&x=1",
		"/a?client_secret=S&my_password=S&csrfToken=S&x-api-key=S": "/a?client_secret=xxxxx&my_password=xxxxx&csrfToken=xxxxx&x-api-key=xxxxx",
		"/a?token={{ tok }}&key=":                                  "/a?token={{ tok }}&key=",
		"/a?token=S#frag?token=x":                                  "/a?token=xxxxx#frag?token=x",
		"/a?monkey=1&keyboard=2&tokens=3":                          "/a?monkey=1&keyboard=2&tokens=3",
		"http://alice:pw@127.0.0.1:8080/x?id=7":                    "http://alice:xxxxx@127.0.0.1:8080/x?id=7",
		"http://alice@127.0.0.1/x":                                 "http://alice@127.0.0.1/x",
		"http://alice:{{ pw }}@h/x":                                "http://alice:{{ pw }}@h/x",
		"{{ base }}/x?token=S":                                     "{{ base }}/x?token=xxxxx",
		"/users/{{ id }}":                                          "/users/{{ id }}",
		"/a?%74oken=S":                                             "/a?%74oken=xxxxx",
		"http://h/p/a:b@c":                                         "http://h/p/a:b@c",
	} {
		r := &Request{Method: "GET", URL: url}
		if got := r.Endpoint(); got != "GET "+want {
			t.Errorf("%q: %q, want %q", url, got, "GET "+want)
		}
	}
	if r := (&Request{Method: "GET", URL: "/a?token=S", Name: "login"}); r.Endpoint() != "login" {
		t.Errorf("a named request: %q", r.Endpoint())
	}
}
