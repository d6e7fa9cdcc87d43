package flow

import (
	"io"
	"net/http"
	"sync"
	"testing"
)

// TestJSONBodyBytes records the bytes a server receives for json bodies,
// static (built once) and templated (built per request): the keys in the
// order written, array indices first, at any depth and inside lists; a
// templated key placed as Artillery places it. The wants are what
// Artillery 2.0.34 sends for these steps.
func TestJSONBodyBytes(t *testing.T) {
	var mu sync.Mutex
	got := map[string]string{}
	run(t, `config:
  phases: [{duration: 1, arrivalCount: 1}]
  variables: {user: [bob], field: [nick], n: [5]}
scenarios:
  - flow:
      - post:
          url: "/static"
          json:
            name: x
            age: 3
            "10": x
            "2": y
            address: {zip: "1", city: c}
            list: [{b: 1, a: [{d: 1, c: 2}]}, 2]
      - post:
          url: "/templated"
          json:
            name: "{{ user }}"
            age: "{{ n }}"
            "10": x
            "2": y
            "{{ field }}": "{{ user }}-{{ n }}"
            gone: "{{ missing }}"
            address: {zip: "{{ n }}", city: c}
            list: [{b: "{{ user }}", a: [{d: 1, c: 2}]}, "{{ missing }}"]
            after: z
`, func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		got[r.URL.Path] = r.Header.Get("Content-Type") + " " + string(body)
		mu.Unlock()
	})
	want := map[string]string{
		"/static": `application/json {"2":"y","10":"x","name":"x","age":3,"address":{"zip":"1","city":"c"},"list":[{"b":1,"a":[{"d":1,"c":2}]},2]}`,
		"/templated": `application/json {"2":"y","10":"x","name":"bob","age":5,"address":{"zip":5,"city":"c"},` +
			`"list":[{"b":"bob","a":[{"d":1,"c":2}]},null],"after":"z","nick":"bob-5"}`,
	}
	for path, w := range want {
		if got[path] != w {
			t.Errorf("%s:\n got %s\nwant %s", path, got[path], w)
		}
	}
}
