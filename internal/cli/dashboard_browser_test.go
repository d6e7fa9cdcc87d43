//go:build surge_webui

package cli

// Browser test of the live dashboard: a real headless Chromium loads the
// page served by `surge ui`, starts a test from the form, changes its rate
// and stops it, and the traffic the target receives follows.

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/surge-dev/surge/internal/freeaddr"

	"github.com/surge-dev/surge/internal/browsertest"
)

type page struct {
	t       *testing.T
	b       *browsertest.Browser
	session string
}

func openPage(t *testing.T, b *browsertest.Browser, url string) *page {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	session, err := b.OpenPage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Call(ctx, session, "Page.navigate", map[string]any{"url": url}, nil); err != nil {
		t.Fatal(err)
	}
	return &page{t: t, b: b, session: session}
}

// eval evaluates expr in the page.
func (p *page) eval(expr string, v any) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := p.b.Evaluate(ctx, p.session, expr, v); err != nil {
		p.t.Fatalf("%s: %v", expr, err)
	}
}

// waitFor polls a boolean expression until it holds.
func (p *page) waitFor(expr string, within time.Duration) {
	p.t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		var ok bool
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err := p.b.Evaluate(ctx, p.session, "!!("+expr+")", &ok)
		cancel()
		if err == nil && ok {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	p.t.Fatalf("timed out waiting for %s", expr)
}

// countingTarget counts requests per second.
type countingTarget struct {
	*httptest.Server
	n atomic.Int64
}

func newCountingTarget(t *testing.T) *countingTarget {
	ct := &countingTarget{}
	ct.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ct.n.Add(1)
		w.Write([]byte("ok"))
	}))
	t.Cleanup(ct.Close)
	return ct
}

// rate measures the requests the target receives over d.
func (ct *countingTarget) rate(d time.Duration) float64 {
	before := ct.n.Load()
	time.Sleep(d)
	return float64(ct.n.Load()-before) / d.Seconds()
}

func TestDashboardInBrowser(t *testing.T) {
	b := browsertest.Start(t, browsertest.Chromium(t))
	target := newCountingTarget(t)
	addr := freeaddr.Loopback(t)
	startUI(t, addr, "-t", target.URL)
	p := openPage(t, b, "http://"+addr+"/")
	p.waitFor(`window.SurgeDashboard && document.getElementById('status').textContent === 'stopped'`, 10*time.Second)

	p.eval(`(() => { const f = document.getElementById('start-form');
		f.rate.value = '40'; f.host.value = 'http://127.0.0.1:9/'; f.requestSubmit(); return true; })()`, new(bool))
	p.waitFor(`document.getElementById('message').textContent.includes('--allow-any-target')`, 10*time.Second)
	p.eval(fmt.Sprintf(`(() => { const f = document.getElementById('start-form');
		f.rate.value = '40'; f.host.value = '%s/hello'; f.requestSubmit(); return true; })()`, target.URL), new(bool))
	p.waitFor(`SurgeDashboard.frames >= 2`, 10*time.Second)
	if r := target.rate(time.Second); r < 25 || r > 60 {
		t.Fatalf("target received %.0f/s after starting at 40/s", r)
	}
	var view struct {
		Canvases int      `json:"canvases"`
		Rows     []string `json:"rows"`
		Points   int      `json:"points"`
	}
	p.eval(`({canvases: document.querySelectorAll('#tab-charts canvas').length,
		rows: [...document.querySelectorAll('#stats tbody tr')].map(r => r.dataset.endpoint),
		points: SurgeDashboard.timeline.t.length})`, &view)
	if view.Canvases < 6 || view.Points < 2 || len(view.Rows) != 1 || view.Rows[0] != "GET /hello" {
		t.Fatalf("dashboard shows %+v", view)
	}

	p.eval(`(() => { const f = document.getElementById('load-form'); f.rate.value = '200'; f.requestSubmit(); return true; })()`, new(bool))
	time.Sleep(1500 * time.Millisecond)
	if r := target.rate(time.Second); r < 150 {
		t.Fatalf("target received %.0f/s after the rate was raised to 200/s", r)
	}
	// The table's current rate is the last second's, not the average
	// since the start (which still weighs the seconds at 40/s). Frames
	// may lag on a busy machine, so wait for the page to show it.
	p.waitFor(`(() => { const c = document.querySelector('#stats tbody tr').cells;
		return Number(c[10].textContent) > 1.3 * Number(c[11].textContent); })()`, 15*time.Second)

	// The stop takes 0.4-2.5 s here with the race detector; beside a CPU
	// hog the page's frames can lag far behind it, so the bound is loose:
	// what is checked is that the page says stopped and the load ends.
	p.eval(`(() => { document.getElementById('stop').click(); return true; })()`, new(bool))
	p.waitFor(`document.getElementById('status').textContent.startsWith('stopped')`, 45*time.Second)
	// An answer read before the stop (a lower seq) that arrives after the
	// event saying it ended does not bring back "running".
	var status string
	p.eval(`(() => { SurgeDashboard.showState({running: true, model: 'open', rate: 200, seq: 1});
		return document.getElementById('status').textContent; })()`, &status)
	if !strings.HasPrefix(status, "stopped") {
		t.Fatalf("a stale state overrode the newer one: status %q", status)
	}
	time.Sleep(300 * time.Millisecond)
	if r := target.rate(time.Second); r != 0 {
		t.Fatalf("target still received %.0f/s after stop", r)
	}
}

func TestDashboardTokenInBrowser(t *testing.T) {
	b := browsertest.Start(t, browsertest.Chromium(t))
	addr := freeaddr.Loopback(t)
	startUI(t, addr, "--dashboard-token", "letmein", "-t", "http://127.0.0.1:1")
	denied := openPage(t, b, "http://"+addr+"/")
	denied.waitFor(`document.body && document.body.innerText.includes('unauthorised')`, 10*time.Second)
	var hasDashboard bool
	denied.eval(`!!window.SurgeDashboard`, &hasDashboard)
	if hasDashboard {
		t.Fatal("dashboard loaded without its token")
	}
	ok := openPage(t, b, "http://"+addr+"/?token=letmein")
	// The page's own requests (scripts, the event stream) carry the token
	// in the cookie the first request set.
	ok.waitFor(`window.SurgeDashboard && document.getElementById('status').textContent === 'stopped'`, 10*time.Second)
}

func TestDashboardAfterTheTestEndsInBrowser(t *testing.T) {
	b := browsertest.Start(t, browsertest.Chromium(t))
	target := "http://" + bannerServer(t, "SSH-2.0-OpenSSH_9.6 Fake-Banner-7f3a")
	addr := freeaddr.Loopback(t)
	startUI(t, addr, "-t", target)
	p := openPage(t, b, "http://"+addr+"/")
	p.waitFor(`window.SurgeDashboard && document.getElementById('status').textContent === 'stopped'`, 10*time.Second)
	p.eval(`(() => { const f = document.getElementById('start-form');
		f.rate.value = '20'; f.duration.value = '2s'; f.requestSubmit(); return true; })()`, new(bool))
	p.waitFor(`document.getElementById('status').textContent.includes('finished')`, 20*time.Second)

	type view struct {
		Status    string     `json:"status"`
		Tile      string     `json:"tile"`
		Current   string     `json:"current"`
		Errors    [][]string `json:"errors"`
		HasBanner bool       `json:"hasBanner"`
		Failures  string     `json:"failures"`
		ErrTile   string     `json:"errTile"`
		OK        []string   `json:"ok"`
	}
	const read = `({status: document.getElementById('status').textContent,
		tile: document.getElementById('sum-rps').textContent,
		current: (document.querySelector('#stats tbody tr td:nth-child(11)') || {}).textContent,
		ok: [...document.querySelectorAll('#stats tbody tr td:nth-child(n+8):nth-child(-n+10)')].map(c => c.textContent).concat(
			['sum-ok-p95', 'sum-ok-p99'].map(id => document.getElementById(id)).map(e => e.parentNode.hidden ? 'hidden' : e.textContent)),
		errors: [...document.querySelectorAll('#errors tbody tr')].map(r => [...r.cells].map(c => c.textContent)),
		hasBanner: document.documentElement.outerHTML.includes('Fake-Banner'),
		failures: document.getElementById('sum-failures').textContent,
		errTile: document.getElementById('sum-errors').textContent})`
	check := func(when string, v view) {
		t.Helper()
		if !strings.HasPrefix(v.Status, "stopped") || v.Tile != "–" || v.Current != "–" {
			t.Errorf("%s: status %q, current RPS tile %q and cell %q; want stopped and –", when, v.Status, v.Tile, v.Current)
		}
		// Every answer is a banner, not HTTP: every request is an error,
		// and so a failure, and the tiles say so with their rates.
		if !strings.HasSuffix(v.Failures, "(100.0%)") || !strings.HasSuffix(v.ErrTile, "(100.0%)") {
			t.Errorf("%s: failures tile %q, errors tile %q; want both at 100.0%%", when, v.Failures, v.ErrTile)
		}
		// Nothing succeeded: the latency of the requests that did not
		// fail is nothing, "–" in the table and in the tiles (shown, as
		// some failed), never 0.
		if !slices.Equal(v.OK, []string{"–", "–", "–", "–", "–"}) {
			t.Errorf("%s: latency of the requests that did not fail (median, p95, p99, the tiles p95 and p99) %q; want – everywhere", when, v.OK)
		}
		if len(v.Errors) != 1 || v.Errors[0][0] != "GET /" || v.Errors[0][1] != "EPROTO" || v.Errors[0][3] == "0" || v.HasBanner {
			t.Errorf("%s: errors tab %q (banner shown: %v); want one grouped EPROTO row", when, v.Errors, v.HasBanner)
		}
	}
	var live view
	p.eval(read, &live)
	check("as it ended", live)

	again := openPage(t, b, "http://"+addr+"/")
	again.waitFor(`window.SurgeDashboard && SurgeDashboard.frames >= 1`, 10*time.Second)
	time.Sleep(300 * time.Millisecond) // the state event follows the frame
	var reloaded view
	again.eval(read, &reloaded)
	check("loaded after the end", reloaded)
}
