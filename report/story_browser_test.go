//go:build surge_webui

package report

import (
	"context"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/surge-dev/surge/internal/browsertest"
)

// storyState is what the page reports about its scaling story.
type storyState struct {
	Ready    bool `json:"ready"`
	Plots    int  `json:"plots"`
	Drawn    int  `json:"drawn"`
	Failed   int  `json:"failed"`
	Sentence string
	// OpenWidth is a raw-series chart's width once its fold is open, and
	// HolderWidth the width of the box it must fit.
	OpenWidth, HolderWidth float64
	Rect                   struct{ X, Y, W, H float64 }
}

const inspectStoryJS = `(async () => {
  const frames = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  await frames();
  const rep = (window.SurgeStory && SurgeStory.report) || {charts: []};
  const canvases = [...document.querySelectorAll('#story-charts canvas')];
  const drawn = canvases.filter(c => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) return true;
    return false;
  });
  const raw = document.querySelector('#monitor-charts .uplot');
  const fold = document.getElementById('raw-target-series');
  const s = document.getElementById('scaling-story').getBoundingClientRect();
  const rect = {x: s.x + scrollX, y: s.y + scrollY, w: s.width, h: s.height};
  fold.open = true;
  await new Promise(r => setTimeout(r, 50));
  await frames();
  return {ready: rep.ready === true, plots: rep.charts.filter(c => c.plot && c.plot.root.classList.contains('uplot')).length,
    drawn: drawn.length, failed: document.querySelectorAll('#scaling-story .chart-failed').length,
    sentence: document.getElementById('story-sentence').textContent,
    openWidth: raw ? raw.getBoundingClientRect().width : 0,
    holderWidth: document.getElementById('monitor-charts').clientWidth, rect: rect};
})()`

// The scaling story of runs against the real emulators, in a real
// Chromium: four charts drawn, nothing requested, no console error; the
// raw series fit the page when their fold opens. With
// SURGE_STORY_SCREENSHOTS=DIR it also writes the section's screenshots
// (docs/img/scaling-story-*.png are made so).
func TestScalingStoryInBrowser(t *testing.T) {
	b := browsertest.Start(t, browserOrSkip(t))
	for _, kind := range []string{"lambda", "fleet"} {
		t.Run(kind, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "report.html")
			if err := WriteFile(path, readStoryRun(t, "story-"+kind+".json"), Options{}); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			_, log := openReport(ctx, t, b, path)
			var s storyState
			if err := b.Evaluate(ctx, log.session, inspectStoryJS, &s); err != nil {
				t.Fatal(err)
			}
			log.mu.Lock()
			if len(log.errors) > 0 || len(log.blocked) > 0 {
				t.Errorf("console errors %q, blocked requests %q", log.errors, log.blocked)
			}
			log.mu.Unlock()
			if !s.Ready || s.Plots != 4 || s.Drawn != 4 || s.Failed != 0 || !strings.Contains(s.Sentence, "0:0") {
				t.Errorf("story: %+v; want 4 charts drawn and the sentence", s)
			}
			if s.OpenWidth < s.HolderWidth-2 || s.OpenWidth > s.HolderWidth+2 {
				t.Errorf("an unfolded raw series chart is %v px wide in a box of %v", s.OpenWidth, s.HolderWidth)
			}
			if dir := os.Getenv("SURGE_STORY_SCREENSHOTS"); dir != "" {
				screenshot(ctx, t, b, log.session, s, filepath.Join(dir, "scaling-story-"+kind+".png"))
			}
		})
	}
}

// screenshot writes the scaling story section as a PNG.
func screenshot(ctx context.Context, t *testing.T, b *browsertest.Browser, session string, s storyState, path string) {
	t.Helper()
	var shot struct{ Data string }
	clip := map[string]any{"x": s.Rect.X - 12, "y": s.Rect.Y - 8, "width": s.Rect.W + 24, "height": s.Rect.H + 16, "scale": 1}
	if err := b.Call(ctx, session, "Page.captureScreenshot",
		map[string]any{"format": "png", "clip": clip, "captureBeyondViewport": true}, &shot); err != nil {
		t.Fatal(err)
	}
	png, err := base64.StdEncoding.DecodeString(shot.Data)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s", path)
}
