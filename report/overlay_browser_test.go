//go:build surge_webui

package report

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/surge-dev/surge/internal/browsertest"
)

// The overlay page in a real Chromium: both charts drawn, nothing
// requested from the network, no error logged.
func TestOverlayInBrowser(t *testing.T) {
	b := browsertest.Start(t, browserOrSkip(t))
	runs := []OverlayRun{{"main", synth(t, 300, 200, "GET /a", "GET /b")}, {"pr", synth(t, 240, 200, "GET /a", "GET /b")}}
	page, err := renderOverlay(runs, OverlayOptions{Summary: "verdict: 0 regressed"})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "compare.html")
	if err := os.WriteFile(path, page, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	s, log := openReport(ctx, t, b, path)
	log.mu.Lock()
	defer log.mu.Unlock()
	for _, u := range append(log.requests, s.Resources...) {
		if u != "file://"+path {
			t.Errorf("the page requested %s", u)
		}
	}
	if len(log.errors) > 0 || len(log.blocked) > 0 {
		t.Errorf("console errors %q, blocked requests %q", log.errors, log.blocked)
	}
	if !s.Ready || s.Plots != 2 || s.Drawn != 2 || s.Failed != 0 || !s.Percentile || s.Notice {
		t.Errorf("charts: %+v; want 2 drawn, the percentile chart among them", s)
	}
}
