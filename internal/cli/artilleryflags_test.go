package cli

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestArtilleryRunFlags: --scenario-name picks one scenario by regular
// expression, --solo runs one VU whatever the phases, --dotenv feeds
// $processEnvironment without changing the process environment, and -i
// merges another file over the script.
func TestArtilleryRunFlags(t *testing.T) {
	var mu sync.Mutex
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, 512)
		n, _ := r.Body.Read(b)
		mu.Lock()
		got = append(got, r.URL.Path+" "+string(b[:n]))
		mu.Unlock()
	}))
	defer srv.Close()
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	script := write("s.yml", `config:
  phases: [{duration: 2, arrivalRate: 5}]
scenarios:
  - {name: browse, weight: 9, flow: [{get: {url: /browse}}]}
  - name: checkout
    weight: 1
    flow: [{post: {url: /checkout, json: {team: "{{ $processEnvironment.SURGE_DOTENV_TEAM }}", extra: "{{ extra }}"}}}]
`)
	extra := write("extra.yml", "config:\n  variables: {extra: merged}\n")
	env := write("t.env", "# a comment\nSURGE_DOTENV_TEAM=blue\n")
	res := surge(t, context.Background(), "run", "-q", "-t", srv.URL, "--scenario-name", "^check", "--solo",
		"--dotenv", env, "-i", extra, script)
	if res.code != ExitOK {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	if want := `/checkout {"team":"blue","extra":"merged"}`; len(got) != 1 || got[0] != want {
		t.Fatalf("requests %q, want [%s]", got, want)
	}
	if _, set := os.LookupEnv("SURGE_DOTENV_TEAM"); set {
		t.Fatal("--dotenv changed the process environment")
	}
	for _, tt := range []struct{ args []string }{
		{[]string{"--scenario-name", "pay"}},
		{[]string{"--dotenv", filepath.Join(dir, "missing.env")}},
		{[]string{"--dotenv", "/dev/zero"}}, // was read forever into memory
	} {
		res := surge(t, context.Background(), append(append([]string{"run", "-q", "-t", srv.URL}, tt.args...), script)...)
		if res.code != ExitUsage || !strings.Contains(res.stderr, tt.args[1]) {
			t.Fatalf("%v: exit %d: %s", tt.args, res.code, res.stderr)
		}
	}
}
