package cli

import (
	"context"
	"encoding/json"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/surge-dev/surge/compare"
	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/results"
)

// writeRun writes a results file of `seconds` seconds at 200 requests a
// second on one endpoint, latency log-normal around medianMs.
func writeRun(t *testing.T, dir, name string, seconds int, medianMs float64, seed uint64) string {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 1))
	r := &results.Results{Schema: results.Schema}
	all := metrics.NewHistogram()
	for i := range seconds {
		h := metrics.NewHistogram()
		for range 200 {
			v := int64(1000 * medianMs * math.Exp(0.3*rng.NormFloat64()))
			_ = h.RecordValue(v)
			_ = all.RecordValue(v)
		}
		enc, err := metrics.EncodeHistogram(h)
		if err != nil {
			t.Fatal(err)
		}
		r.Intervals = append(r.Intervals, results.Interval{Index: i, DurationS: 1, Requests: 200,
			Hist: results.Histograms{Latency: enc}, Endpoints: []results.EndpointCount{{Requests: 200}}})
	}
	enc, err := metrics.EncodeHistogram(all)
	if err != nil {
		t.Fatal(err)
	}
	whole := results.Stats{Requests: int64(200 * seconds), Hist: results.Histograms{Latency: enc}}
	r.Aggregate = results.Aggregate{Stats: whole}
	r.Endpoints = []results.Endpoint{{Name: "GET /x", Stats: whole}}
	path := filepath.Join(dir, name)
	if err := results.WriteFile(path, r); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCompareExitCodes(t *testing.T) {
	dir := t.TempDir()
	base := writeRun(t, dir, "base.json", 30, 20, 1)
	same := writeRun(t, dir, "same.json", 30, 20, 2)
	slow := writeRun(t, dir, "slow.json", 30, 30, 3)
	ctx := context.Background()
	for _, c := range []struct {
		args []string
		code int
	}{
		{[]string{base, slow}, ExitRegression},
		{[]string{base, same}, ExitOK},
		{[]string{base, slow, "--fail-on", "none"}, ExitOK},
		{[]string{base, same, slow}, ExitRegression}, // any head that regressed
		{[]string{slow, base}, ExitOK},               // faster is not a failure
	} {
		res := surge(t, ctx, append([]string{"compare", "--resamples", "200"}, c.args...)...)
		if res.code != c.code {
			t.Errorf("compare %v: exit %d, want %d\n%s%s", c.args, res.code, c.code, res.stdout, res.stderr)
		}
	}
}

// A 10-second run at 20 requests a second cannot settle p99 at ±5 %: it is
// inconclusive, which fails only with --fail-on inconclusive.
func TestCompareInconclusiveExitCode(t *testing.T) {
	dir := t.TempDir()
	base := writeRun(t, dir, "base.json", 10, 20, 1)
	head := writeRun(t, dir, "head.json", 10, 20, 2)
	ctx := context.Background()
	if res := surge(t, ctx, "compare", "--resamples", "200", base, head); res.code != ExitOK {
		t.Errorf("--fail-on regression: exit %d\n%s", res.code, res.stderr)
	}
	res := surge(t, ctx, "compare", "--resamples", "200", "--fail-on", "inconclusive", base, head)
	if res.code != ExitInconclusive || !strings.Contains(res.stdout, "inconclusive") {
		t.Errorf("--fail-on inconclusive: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
}

func TestCompareFormatsAndLabels(t *testing.T) {
	dir := t.TempDir()
	base := writeRun(t, dir, "base.json", 20, 20, 1)
	head := writeRun(t, dir, "head.json", 20, 26, 2)
	ctx := context.Background()
	res := surge(t, ctx, "compare", "--resamples", "200", "--format", "json", "main="+base, "pr="+head)
	var doc struct {
		Schema      string
		Comparisons []struct {
			Base, Head struct{ Label string }
			Rows       []struct{ Metric, Verdict string }
		}
	}
	if err := json.Unmarshal([]byte(res.stdout), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, res.stdout)
	}
	c := doc.Comparisons[0]
	if doc.Schema != compare.JSONSchema || c.Base.Label != "main" || c.Head.Label != "pr" || c.Rows[0].Verdict != "regressed" {
		t.Errorf("json: %+v", doc)
	}
	md := surge(t, ctx, "compare", "--resamples", "200", "--format", "markdown", base, head)
	if !strings.HasPrefix(md.stdout, compare.MarkdownMarker+"\n### ❌") {
		t.Errorf("markdown starts %q", md.stdout[:min(80, len(md.stdout))])
	}
	text := surge(t, ctx, "compare", "--resamples", "200", "--window", "5s..-5s", base, head)
	if !strings.Contains(text.stdout, "base.json: 10.0 s") || !strings.Contains(text.stdout, "window 5s..-5s") {
		t.Errorf("text with a window:\n%s", text.stdout)
	}
}

func TestCompareUsageErrors(t *testing.T) {
	dir := t.TempDir()
	base := writeRun(t, dir, "base.json", 12, 20, 1)
	ctx := context.Background()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{base}, "requires at least 2"},
		{[]string{base, base, "--format", "html"}, "--format"},
		{[]string{base, base, "--fail-on", "sometimes"}, "--fail-on"},
		{[]string{base, base, "--margin", "5"}, "--margin"},
		{[]string{base, base, "--window", "10s..5s"}, "--window"},
		{[]string{base, base, "--alpha", "2"}, "--alpha"},
		{[]string{base, filepath.Join(dir, "missing.json")}, "missing.json"},
		{[]string{base, base, "--window", "5s.."}, "need at least 10"},
	} {
		res := surge(t, ctx, append([]string{"compare"}, c.args...)...)
		if res.code != ExitUsage || !strings.Contains(res.stderr, c.want) {
			t.Errorf("compare %v: exit %d, stderr %q; want 2 and %q", c.args, res.code, res.stderr, c.want)
		}
	}
}

// End to end: two real runs of surge quick against a loopback server
// whose answer takes 3 ms, then 30 ms; compare calls the second a
// regression with exit code 112, and a run compared with itself no change.
// The step is tenfold: on a machine whose cores are taken, the 3 ms run
// read a p99 of 1.27 s and a threefold step came out inconclusive.
func TestCompareRealRuns(t *testing.T) {
	var delay atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(time.Duration(delay.Load()))
		w.Write([]byte("ok"))
	}))
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	ctx := context.Background()
	runs := map[time.Duration]string{3 * time.Millisecond: "fast.json", 30 * time.Millisecond: "slow.json"}
	for d, name := range runs {
		delay.Store(int64(d))
		res := surge(t, ctx, "quick", srv.URL+"/x", "--rate", "100", "--duration", "11s", "--quiet",
			"--output", filepath.Join(dir, name))
		if res.code != ExitOK {
			t.Fatalf("quick: exit %d\n%s", res.code, res.stderr)
		}
	}
	fast, slow := filepath.Join(dir, "fast.json"), filepath.Join(dir, "slow.json")
	res := surge(t, ctx, "compare", "--format", "markdown", fast, slow)
	if res.code != ExitRegression || !strings.Contains(res.stdout, "| all | p50 |") {
		t.Errorf("3 ms → 30 ms: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	if res := surge(t, ctx, "compare", fast, fast); res.code != ExitOK || !strings.Contains(res.stdout, "verdict: 0 regressed, 0 improved") {
		t.Errorf("a run against itself: exit %d\n%s", res.code, res.stdout)
	}
}

func TestCompareWritesTheOverlayPage(t *testing.T) {
	dir := t.TempDir()
	base := writeRun(t, dir, "base.json", 12, 20, 1)
	head := writeRun(t, dir, "head.json", 12, 30, 2)
	page := filepath.Join(dir, "compare.html")
	ctx := context.Background()
	res := surge(t, ctx, "compare", "--resamples", "200", "--report", page, base, head)
	if res.code != ExitRegression {
		t.Fatalf("exit %d\n%s", res.code, res.stderr)
	}
	b, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	html := string(b)
	for _, want := range []string{`<pre class="summary">base base.json: 12.0 s`, `"label":"head.json p99"`, `"percentiles":{"x":[1,`} {
		if !strings.Contains(html, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	bad := surge(t, ctx, "compare", "--report", filepath.Join(dir, "no", "such", "dir", "x.html"), base, head)
	if bad.code != ExitUsage || !strings.Contains(bad.stderr, "--report") || strings.Contains(bad.stdout, "verdict") {
		t.Errorf("unwritable --report: exit %d, stdout %q, stderr %q", bad.code, bad.stdout, bad.stderr)
	}
}

// TestCompareReadsACutStreamOfSeveralEndpoints: a stream cut short holds
// no latency per endpoint (its seconds hold it for all endpoints
// together). compare reads it anyway, compares the endpoints' counts and
// leaves their latency rows out, saying why, rather than failing on the
// missing histograms.
func TestCompareReadsACutStreamOfSeveralEndpoints(t *testing.T) {
	dir := t.TempDir()
	full, err := results.ReadFile(writeRun(t, dir, "base.json", 12, 20, 3))
	if err != nil {
		t.Fatal(err)
	}
	names := []string{"GET /a", "GET /b"}
	// Three in four requests go to GET /a, as in each second below.
	a, b := full.Endpoints[0].Stats, full.Endpoints[0].Stats
	a.Requests, b.Requests = full.Aggregate.Requests*3/4, full.Aggregate.Requests/4
	full.Endpoints = []results.Endpoint{{Name: names[0], Stats: a}, {Name: names[1], Stats: b}}
	start := time.Now()
	for i := range full.Intervals {
		full.Intervals[i].Endpoints = []results.EndpointCount{{Requests: 150}, {Requests: 50}}
		full.Intervals[i].Start = start.Add(time.Duration(i) * time.Second)
	}
	base := filepath.Join(dir, "two.json")
	if err := results.WriteFile(base, full); err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(dir, "cut.jsonl")
	f, err := os.Create(cut)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w, err := results.NewStreamWriter(f, results.StreamHeader{Test: full.Test, Endpoints: names})
	if err != nil {
		t.Fatal(err)
	}
	for _, iv := range full.Intervals {
		if err := w.Interval(iv); err != nil {
			t.Fatal(err)
		}
	}
	res := surge(t, context.Background(), "compare", "--format", "json", cut, base)
	if res.code != ExitOK {
		t.Fatalf("exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	var doc struct {
		Comparisons []struct {
			Notes []string
			Rows  []struct{ Scope, Metric string }
		}
	}
	if err := json.Unmarshal([]byte(res.stdout), &doc); err != nil || len(doc.Comparisons) != 1 {
		t.Fatalf("%v\n%s", err, res.stdout)
	}
	rep := doc.Comparisons[0]
	perEndpoint := map[string]bool{}
	for _, r := range rep.Rows {
		if r.Scope != compare.AllEndpoints {
			perEndpoint[r.Scope+" "+r.Metric] = true
		}
	}
	if !perEndpoint["GET /b throughput"] || perEndpoint["GET /b p50"] || perEndpoint["GET /a mean"] {
		t.Errorf("rows per endpoint: %v", perEndpoint)
	}
	if len(rep.Notes) != 1 || !strings.HasPrefix(rep.Notes[0], "cut.jsonl holds no latency per endpoint") {
		t.Errorf("notes %q", rep.Notes)
	}
}
