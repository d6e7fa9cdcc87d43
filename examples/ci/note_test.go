package ciexample

import (
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// gitlab-note.sh posts the comment to the merge request's notes with the
// token, the Markdown intact (form-encoded: marker, pipes, emoji).
func TestGitLabNotePostsTheComment(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("CI is set but curl is missing")
		}
		t.Skip("curl not installed")
	}
	type request struct{ method, path, token, body string }
	got := make(chan request, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		got <- request{r.Method, r.URL.Path, r.Header.Get("PRIVATE-TOKEN"), r.PostForm.Get("body")}
		w.WriteHeader(http.StatusCreated)
	}))
	defer srv.Close()
	comment := "<!-- surge-compare -->\n### ❌ Regression: 1 regressed\n| a | b & c |\n"
	file := filepath.Join(t.TempDir(), "comment.md")
	if err := os.WriteFile(file, []byte(comment), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(env ...string) string {
		cmd := exec.Command("./gitlab-note.sh", file)
		cmd.Env = append(os.Environ(), append([]string{"CI_API_V4_URL=" + srv.URL + "/api/v4", "CI_PROJECT_ID=42"}, env...)...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		return string(out)
	}
	if out := run("CI_MERGE_REQUEST_IID=", "SURGE_GITLAB_TOKEN=secret"); !strings.Contains(out, "not a merge request pipeline") {
		t.Errorf("outside a merge request: %s", out)
	}
	run("CI_MERGE_REQUEST_IID=7", "SURGE_GITLAB_TOKEN=secret")
	r := <-got
	want := request{"POST", "/api/v4/projects/42/merge_requests/7/notes", "secret", comment}
	if r != want {
		t.Errorf("request %+v, want %+v", r, want)
	}
}
