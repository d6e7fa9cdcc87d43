package notify

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// A firing alert is posted without endsAt (its end is not known); a
// resolved one with it; both to /api/v2/alerts under the base URL.
func TestAlertmanagerPostBody(t *testing.T) {
	var paths []string
	var bodies []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		paths, bodies = append(paths, r.URL.Path), append(bodies, string(b))
	}))
	defer srv.Close()
	am := Alertmanager{URL: srv.URL + "/"}
	a := Alert{Labels: map[string]string{"alertname": "x"}, StartsAt: t0}
	if err := am.Post(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	a.EndsAt = t0.Add(time.Minute)
	if err := am.Post(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	for i, want := range []map[string]bool{{"endsAt": false}, {"endsAt": true}} {
		if paths[i] != "/api/v2/alerts" {
			t.Errorf("post %d to %s", i, paths[i])
		}
		var got []map[string]any
		if err := json.Unmarshal([]byte(bodies[i]), &got); err != nil || len(got) != 1 {
			t.Fatalf("post %d: %s %v", i, bodies[i], err)
		}
		if _, has := got[0]["endsAt"]; has != want["endsAt"] {
			t.Errorf("post %d: %s", i, bodies[i])
		}
		if got[0]["startsAt"] != "2026-07-08T09:10:11Z" || got[0]["labels"].(map[string]any)["alertname"] != "x" {
			t.Errorf("post %d: %s", i, bodies[i])
		}
	}
}
