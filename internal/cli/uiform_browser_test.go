//go:build surge_webui

package cli

import (
	"strings"
	"testing"
	"time"

	"github.com/surge-dev/surge/internal/browsertest"
	"github.com/surge-dev/surge/internal/freeaddr"
)

// In a real browser, surge ui -r 30 -d 2s shows its start form filled
// with them; pressing Start without touching it runs that test: exactly
// 60 requests, to the target given without a scheme.
func TestUIFormFlagsInBrowser(t *testing.T) {
	b := browsertest.Start(t, browsertest.Chromium(t))
	target := newCountingTarget(t)
	addr := freeaddr.Loopback(t)
	startUI(t, addr, "-t", strings.TrimPrefix(target.URL, "http://"), "-r", "30", "-d", "2s")
	p := openPage(t, b, "http://"+addr+"/")
	p.waitFor(`window.SurgeDashboard && document.getElementById('status').textContent === 'stopped'`, 10*time.Second)
	var form struct{ Users, Rate, Duration string }
	p.eval(`(() => { const f = document.getElementById('start-form');
		return {users: f.users.value, rate: f.rate.value, duration: f.duration.value}; })()`, &form)
	if form.Users != "" || form.Rate != "30" || form.Duration != "2s" || target.n.Load() != 0 {
		t.Fatalf("start form %+v with %d requests sent; want rate 30, duration 2s, nothing sent", form, target.n.Load())
	}
	p.eval(`(() => { document.getElementById('start-form').requestSubmit(); return true; })()`, new(bool))
	deadline := time.Now().Add(30 * time.Second)
	for target.n.Load() < 60 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	p.waitFor(`document.getElementById('status').textContent.startsWith('stopped')`, 30*time.Second)
	if n := target.n.Load(); n != 60 {
		t.Errorf("target received %d requests, want 30/s for 2 s: 60", n)
	}
}
