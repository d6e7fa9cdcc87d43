package flow

import (
	"net/http"
	"strings"
	"sync"
	"testing"
)

// TestLoopingUserStartsEachRunAfresh: a user's runs share the map their
// variables live in, emptied between runs; what one run captured or set
// must not be seen by the next, and each run gets its own $uuid.
func TestLoopingUserStartsEachRunAfresh(t *testing.T) {
	var mu sync.Mutex
	var paths []string
	run(t, `config:
  phases: [{duration: 1, users: 1}]
  variables: {fixed: "v"}
scenarios:
  - flow:
      - get: {url: "/first/{{ id }}/{{ fixed }}/{{ $uuid }}", capture: {json: "$.id", as: id}}
      - get: {url: "/second/{{ id }}/{{ $uuid }}"}
`, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.URL.RequestURI())
		mu.Unlock()
		w.Write([]byte(`{"id":"captured"}`))
	})
	mu.Lock()
	defer mu.Unlock()
	if len(paths) < 4 {
		t.Fatalf("the user ran %d requests, want two runs at least", len(paths))
	}
	uuids := map[string]bool{}
	for i := 0; i+1 < len(paths); i += 2 {
		first, second := strings.Split(paths[i], "/"), strings.Split(paths[i+1], "/")
		if first[2] != "undefined" || first[3] != "v" || second[2] != "captured" || first[4] != second[3] {
			t.Fatalf("run %d sent %s then %s", i/2, paths[i], paths[i+1])
		}
		uuids[first[4]] = true
	}
	if len(uuids) != len(paths)/2 {
		t.Fatalf("%d runs had %d distinct $uuid", len(paths)/2, len(uuids))
	}
}
