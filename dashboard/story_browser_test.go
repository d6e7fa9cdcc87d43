//go:build surge_webui

package dashboard

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/surge-dev/surge/internal/browsertest"
)

// The live page draws the scaling story the frames carry, in a real
// Chromium, with nothing logged as an error.
func TestScalingStoryInBrowser(t *testing.T) {
	// The server first: cleanups run last first, so the browser (and its
	// event stream, which the server's Close would wait for) goes before.
	s, _, srv := newTestServer(t, "")
	b := browsertest.Start(t, browsertest.Chromium(t))
	publishLambdaRun(s)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	session, consoleErrors := openDashboard(ctx, t, b, srv.URL+"/")
	var got struct {
		Charts, Drawn int
		Hidden        bool
		Sentence      string
	}
	const inspect = `(async () => {
	  for (let i = 0; i < 200 && !(window.SurgeDashboard && SurgeDashboard.story); i++) await new Promise(r => setTimeout(r, 50));
	  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
	  const canvases = [...document.querySelectorAll('#story-charts canvas')];
	  const drawn = canvases.filter(c => {
	    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
	    for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) return true;
	    return false;
	  });
	  return {charts: SurgeDashboard.story ? SurgeDashboard.story.charts.length : 0, drawn: drawn.length,
	    hidden: document.getElementById('story').hidden, sentence: document.getElementById('story-sentence').textContent};
	})()`
	if err := b.Evaluate(ctx, session, inspect, &got); err != nil {
		t.Fatal(err)
	}
	if got.Charts != 3 || got.Drawn != 3 || got.Hidden || !strings.Contains(got.Sentence, "Throttled from 0:02 to 0:04") {
		t.Errorf("the page shows %+v; want 3 story charts drawn and the sentence", got)
	}
	if errs := consoleErrors(); len(errs) > 0 {
		t.Errorf("console errors: %v", errs)
	}
}

// openDashboard opens the page at url in a new tab of b and collects what
// it logs as errors (exceptions, console.error) for the returned func.
func openDashboard(ctx context.Context, t *testing.T, b *browsertest.Browser, url string) (string, func() []string) {
	t.Helper()
	session, err := b.OpenPage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var errs []string
	b.Handle(func(m browsertest.Message) {
		if m.SessionID != session {
			return
		}
		var p struct {
			Type             string            `json:"type"`
			Args             []json.RawMessage `json:"args"`
			ExceptionDetails json.RawMessage   `json:"exceptionDetails"`
		}
		_ = json.Unmarshal(m.Params, &p)
		mu.Lock()
		defer mu.Unlock()
		switch {
		case m.Method == "Runtime.exceptionThrown":
			errs = append(errs, string(p.ExceptionDetails))
		case m.Method == "Runtime.consoleAPICalled" && p.Type == "error":
			b, _ := json.Marshal(p.Args)
			errs = append(errs, string(b))
		}
	})
	if err := b.Call(ctx, session, "Runtime.enable", nil, nil); err != nil {
		t.Fatal(err)
	}
	if err := b.Call(ctx, session, "Page.navigate", map[string]any{"url": url}, nil); err != nil {
		t.Fatal(err)
	}
	return session, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), errs...)
	}
}
