//go:build surge_webui

package webui

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"strings"
	"testing"
)

type manifest struct {
	UPlot string `json:"uplot"`
	Files map[string]struct {
		Bytes  int    `json:"bytes"`
		SHA256 string `json:"sha256"`
	} `json:"files"`
}

func readManifest(t *testing.T) manifest {
	t.Helper()
	if !Available() {
		t.Fatal("built with surge_webui but the assets are missing: run make web")
	}
	b, err := ReadAsset(Manifest)
	if err != nil {
		t.Fatal(err)
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("manifest: %v", err)
	}
	return m
}

// The embedded files are exactly those the build wrote.
func TestAssetsMatchManifest(t *testing.T) {
	m := readManifest(t)
	for _, name := range []string{UPlotJS, UPlotCSS, ChartsJS, ChartsCSS, ReportJS, StoryJS} {
		if _, ok := m.Files[name]; !ok {
			t.Errorf("manifest lacks %s", name)
		}
	}
	for name, want := range m.Files {
		b, err := ReadAsset(name)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		if len(b) != want.Bytes || hex.EncodeToString(sum[:]) != want.SHA256 {
			t.Errorf("%s: %d bytes, sha256 %x; manifest says %d, %s", name, len(b), sum, want.Bytes, want.SHA256)
		}
	}
	if m.UPlot == "" {
		t.Error("manifest has no uPlot version")
	}
}

// Every asset can be inlined: no sequence that ends or confuses a
// <script> or <style> element.
func TestAssetsCanBeInlined(t *testing.T) {
	err := fs.WalkDir(Assets(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(Assets(), path)
		lower := bytes.ToLower(b)
		var bad []string
		switch {
		case strings.HasSuffix(path, ".js"):
			bad = []string{"</script", "<!--"}
		case strings.HasSuffix(path, ".css"):
			bad = []string{"</style", "url(http", "url(//", "@import"}
		}
		for _, s := range bad {
			if bytes.Contains(lower, []byte(s)) {
				t.Errorf("%s contains %q", path, s)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestUPlotCarriesItsLicense(t *testing.T) {
	b, err := ReadAsset(UPlotJS)
	if err != nil {
		t.Fatal(err)
	}
	head := string(b[:min(len(b), 1500)])
	if !strings.HasPrefix(head, "/*! uPlot "+readManifest(t).UPlot) || !strings.Contains(head, "MIT License") {
		t.Errorf("uPlot.js does not start with its license: %.200q", head)
	}
}
