package flow

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/surge-dev/surge/scenario"
)

// TestPayloadThatGivesNoValuesWarns: a payload file that is empty, holds
// only the header skipHeader skips, or is read without fields gives no
// VU a value, so every {{ field }} is sent as undefined. Artillery runs
// such a test without a word; Surge warns at the payload's line:col.
func TestPayloadThatGivesNoValuesWarns(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer srv.Close()
	tests := []struct{ name, csv, opts, want string }{
		{"empty file", "", "fields: [user]", "has no rows"},
		{"header only", "user\n", "fields: [user], skipHeader: true", "has no rows"},
		{"no fields", "alice\nbob\n", "order: sequence", "has no fields"},
		{"rows and fields", "alice\nbob\n", "fields: [user]", ""},
		{"loadAll without fields", "user\nalice\n", "loadAll: true, name: rows", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "users.csv"), []byte(tt.csv), 0o644); err != nil {
				t.Fatal(err)
			}
			script := "config:\n  payload: {path: users.csv, " + tt.opts + "}\nscenarios:\n  - flow: [{get: {url: \"/u/{{ user }}\"}}]\n"
			path := filepath.Join(dir, "t.yml")
			if err := os.WriteFile(path, []byte(script), 0o644); err != nil {
				t.Fatal(err)
			}
			s, err := scenario.Load(path)
			if err != nil {
				t.Fatal(err)
			}
			p, err := Build(s, Options{Target: srv.URL})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, w := range p.Warnings {
				got = append(got, w.Error())
			}
			joined := strings.Join(got, "\n")
			if tt.want == "" && len(got) != 0 || tt.want != "" && !strings.Contains(joined, "t.yml:2:12: warning: payload "+filepath.Join(dir, "users.csv")+" "+tt.want) {
				t.Fatalf("warnings:\n%s\nwant: %q", joined, tt.want)
			}
		})
	}
}
