//go:build surge_webui

package cli

import (
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/surge-dev/surge/internal/freeaddr"

	"github.com/surge-dev/surge/internal/browsertest"
	"github.com/surge-dev/surge/testbed"
)

// TestScreenshots refreshes the pictures in docs/img when
// SURGE_SCREENSHOTS names the folder to write them to:
//
//	SURGE_SCREENSHOTS=$PWD/docs/img go test -tags surge_webui -run Screenshots ./internal/cli
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("SURGE_SCREENSHOTS")
	if dir == "" {
		t.Skip("set SURGE_SCREENSHOTS to a folder to refresh the documentation's screenshots")
	}
	b := browsertest.Start(t, browsertest.Chromium(t))
	h, _ := testbed.New(testbed.Config{Latency: 3 * time.Millisecond, Jitter: 6 * time.Millisecond, ErrorRate: 0.002})
	srv := newServer(t, h)
	addr := freeaddr.Loopback(t)
	startUI(t, addr, "-t", srv)
	p := openPage(t, b, "http://"+addr+"/")
	p.waitFor(`window.SurgeDashboard`, 10*time.Second)
	post := func(path, body string) {
		resp, err := http.Post("http://"+addr+path, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	post("/api/start", `{"rate": 100, "host": "`+srv+`/api/items"}`)
	time.Sleep(8 * time.Second)
	post("/api/load", `{"rate": 400}`)
	time.Sleep(10 * time.Second)
	shoot(t, p, filepath.Join(dir, "dashboard.png"))
	post("/api/stop", `{}`)
	time.Sleep(2 * time.Second)
	resp, err := http.Get("http://" + addr + "/api/report.html")
	if err != nil {
		t.Fatal(err)
	}
	html, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	reportPath := filepath.Join(t.TempDir(), "report.html")
	os.WriteFile(reportPath, html, 0o644)
	rp := openPage(t, b, "file://"+reportPath)
	rp.waitFor(`window.SurgeReport && SurgeReport.ready`, 10*time.Second)
	shoot(t, rp, filepath.Join(dir, "report.png"))
}

func newServer(t *testing.T, h http.Handler) string {
	srv := &http.Server{Handler: h}
	l := listen(t)
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return "http://" + l.Addr().String()
}

func shoot(t *testing.T, p *page, path string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var shot struct {
		Data string `json:"data"`
	}
	err := p.b.Call(ctx, p.session, "Page.captureScreenshot", map[string]any{"format": "png", "captureBeyondViewport": true}, &shot)
	if err != nil {
		t.Fatal(err)
	}
	png, err := base64.StdEncoding.DecodeString(shot.Data)
	if err != nil || len(png) < 10_000 {
		t.Fatalf("screenshot of %d bytes: %v", len(png), err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
}
