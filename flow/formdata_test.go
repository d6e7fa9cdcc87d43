package flow

import (
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/scenario"
)

// TestFormDataFileTypes: a file part's content type follows its
// extension as the form-data package Artillery uses names it; a .yml part
// went out as application/octet-stream where Artillery sent text/yaml.
func TestFormDataFileTypes(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"a.yml", "b.XML", "c.gif", "d.unknown"} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var mu sync.Mutex
	got := map[string]string{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mr, err := r.MultipartReader()
		for err == nil {
			var p *multipart.Part
			if p, err = mr.NextPart(); err == nil {
				mu.Lock()
				got[p.FormName()] = p.Header.Get("Content-Type")
				mu.Unlock()
			}
		}
	}))
	defer srv.Close()
	s, err := scenario.Parse(filepath.Join(dir, "t.yml"), []byte(`config:
  phases: [{duration: 1, arrivalCount: 1}]
scenarios:
  - flow:
      - post: {url: /, formData: {y: {fromFile: a.yml}, x: {fromFile: b.XML}, g: {fromFile: c.gif}, u: {fromFile: d.unknown}}}
`))
	if err != nil {
		t.Fatal(err)
	}
	p, err := Build(s, Options{Target: srv.URL, Log: io.Discard, Report: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := engine.Run(context.Background(), *p.Test); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"y": "text/yaml", "x": "application/xml", "g": "image/gif", "u": "application/octet-stream"}
	for name, ctype := range want {
		if got[name] != ctype {
			t.Errorf("part %s: %q, want %q", name, got[name], ctype)
		}
	}
}
