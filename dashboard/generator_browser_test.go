//go:build surge_webui

package dashboard

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/surge-dev/surge/internal/browsertest"
)

// While Surge itself is the bottleneck the live page says so in a banner
// and shades those seconds on its charts (and no others), beside the
// scaling story of the same run, with nothing logged as an error.
func TestGeneratorBannerAndShadingBesideTheStoryInBrowser(t *testing.T) {
	// The server first: cleanups run last first, so the browser goes before.
	s, _, srv := newTestServer(t, "")
	b := browsertest.Start(t, browsertest.Chromium(t))
	publishLambdaRunBoundFrom(s, 4)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	session, consoleErrors := openDashboard(ctx, t, b, srv.URL+"/")
	// Reddish pixels (the shading over the white plot) in a row near the
	// top of the requests-per-second chart, inside the span and before it.
	const inspect = `(async () => {
	  const ready = () => window.SurgeDashboard && SurgeDashboard.story && SurgeDashboard.charts.rps &&
	    (SurgeDashboard.timeline.bands || []).length;
	  for (let i = 0; i < 200 && !ready(); i++) await new Promise(r => setTimeout(r, 50));
	  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
	  const p = SurgeDashboard.charts.rps.plot, b = p.bbox;
	  const shaded = t => {
	    const x = Math.round(p.valToPos(t, 'x', true));
	    const d = p.ctx.getImageData(x, b.top + 2, 1, 1).data;
	    return d[0] > d[2] + 10 && d[0] > d[1] + 10;
	  };
	  const banner = document.getElementById('generator');
	  return {banner: banner.textContent, bannerHidden: banner.hidden,
	    storyCharts: SurgeDashboard.story ? SurgeDashboard.story.charts.length : 0,
	    inside: shaded(4.5), before: shaded(1.5)};
	})()`
	var got struct {
		Banner         string
		BannerHidden   bool
		StoryCharts    int
		Inside, Before bool
	}
	if err := b.Evaluate(ctx, session, inspect, &got); err != nil {
		t.Fatal(err)
	}
	if got.BannerHidden || !strings.Contains(got.Banner, "Surge itself was the bottleneck from 0:03 to 0:06") {
		t.Errorf("banner %q (hidden %v)", got.Banner, got.BannerHidden)
	}
	if got.StoryCharts != 3 {
		t.Errorf("%d story charts; want 3", got.StoryCharts)
	}
	if !got.Inside || got.Before {
		t.Errorf("shaded inside the span %v, before it %v", got.Inside, got.Before)
	}
	if errs := consoleErrors(); len(errs) > 0 {
		t.Errorf("console errors: %v", errs)
	}
}
