package cli

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/surge-dev/surge/results"
)

// slowAfter answers at once for after from its first request, then takes
// slow per request.
func slowAfter(t *testing.T, after, slow time.Duration) *httptest.Server {
	var once sync.Once
	var first time.Time
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		once.Do(func() { first = time.Now() })
		if time.Since(first) >= after {
			time.Sleep(slow)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// The k6 #2379 case through the command: a script's alert on p99 with
// abort stops a 20 s test about a period after the server turns slow,
// and surge exits 111; a k6 threshold on the median since the start with
// abortOnFail, on the same run, passes. The checks are printed, written as
// JUnit and appended to the job summary.
func TestAlertAbortExits111WhileTheCumulativeThresholdPasses(t *testing.T) {
	srv := slowAfter(t, 2*time.Second, 300*time.Millisecond)
	dir := t.TempDir()
	junit, summary, out := filepath.Join(dir, "junit.xml"), filepath.Join(dir, "summary.md"), filepath.Join(dir, "r.json")
	t.Setenv("GITHUB_STEP_SUMMARY", summary)
	script := runScriptFile(t, `config:
  phases: [{duration: 20, arrivalRate: 50}]
  alerts:
    - {name: p99, metric: latency, statistic: p99, period: 1s, comparison: ">", threshold: 150ms, actions: [print, abort]}
scenarios: [{flow: [{get: {url: /}}]}]
`)
	res := surge(t, context.Background(), "run", "-q", "-t", srv.URL, "--threshold", "http_req_duration: med<150 abortOnFail",
		"--junit", junit, "-o", out, script)
	if res.code != ExitAborted {
		t.Fatalf("exit %d, want %d\nstdout %s\nstderr %s", res.code, ExitAborted, res.stdout, res.stderr)
	}
	r, err := results.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if r.Test.DurationS > 6 || r.Test.AbortedBy != `alert "p99"` {
		t.Errorf("ran %.1f s of 20, aborted by %q", r.Test.DurationS, r.Test.AbortedBy)
	}
	for _, want := range []string{"Checks:", "ok: http_req_duration: med<150 abortOnFail: p(50)=", `fail: alert "p99": ALARM 1 time`,
		`stopped at `, `by alert "p99"`} {
		if !strings.Contains(res.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, res.stdout)
		}
	}
	if !strings.Contains(res.stderr, `alert "p99": OK -> ALARM`) || !strings.Contains(res.stderr, `stopping the test: alert "p99"`) {
		t.Errorf("stderr lacks the change of state and the stop:\n%s", res.stderr)
	}
	x, _ := os.ReadFile(junit)
	if !strings.Contains(string(x), `type="AbortedByAlert"`) || !strings.Contains(string(x), `name="http_req_duration: med&lt;150 abortOnFail"`) {
		t.Errorf("junit:\n%s", x)
	}
	md, _ := os.ReadFile(summary)
	if !strings.Contains(string(md), `### ⛔ surge run `+script+`: stopped at`) || !strings.Contains(string(md), "(exit 111)") {
		t.Errorf("step summary:\n%s", md)
	}
}

// A failed --threshold exits 1 on quick as a failed ensure check does on
// run; a passing one exits 0; one without data neither fails nor passes.
func TestQuickThresholdVerdicts(t *testing.T) {
	srv, _ := countingServer(t)
	for _, tt := range []struct {
		thresholds []string
		code       int
		lines      []string
	}{
		{[]string{"count>5", "rps>0"}, ExitOK, []string{"ok: count>5: count=20 over the run (limit >5)", "ok: rps>0"}},
		{[]string{"count<5", "GET /x: p(99)<1s"}, ExitThresholds, []string{"fail: count<5: count=20", "ok: GET /x: p(99)<1s"}},
	} {
		args := []string{"quick", srv.URL + "/x", "--rate", "20", "--duration", "1s", "-q"}
		for _, th := range tt.thresholds {
			args = append(args, "--threshold", th)
		}
		res := surge(t, context.Background(), args...)
		if res.code != tt.code {
			t.Errorf("%v: exit %d, want %d\n%s%s", tt.thresholds, res.code, tt.code, res.stdout, res.stderr)
		}
		for _, l := range tt.lines {
			if !strings.Contains(res.stdout, l) {
				t.Errorf("%v: stdout lacks %q:\n%s", tt.thresholds, l, res.stdout)
			}
		}
	}
}

// neverOther is a script whose endpoint GET /other is never requested:
// its ifTrue is always false.
const neverOther = `config:
  phases: [{duration: 1, arrivalRate: 20}]
scenarios:
  - flow:
      - get: {url: /x}
      - get: {url: /other, ifTrue: "1 > 2"}
`

// The HTML report and the console say of a threshold without data: no
// data, not a pass.
func TestReportShowsAThresholdWithoutDataAsSuch(t *testing.T) {
	srv, _ := countingServer(t)
	page := filepath.Join(t.TempDir(), "r.html")
	res := surge(t, context.Background(), "run", "-t", srv.URL, "-q", "--threshold", "GET /other: p(99)<1s",
		"--report", page, runScriptFile(t, neverOther))
	if res.code != ExitOK || !strings.Contains(res.stdout, "no data: GET /other: p(99)<1s") {
		t.Fatalf("exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	html, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(html), `<tr class="nodata"><td>– no data</td><td>GET /other: p(99)&lt;1s</td>`) {
		t.Errorf("report's thresholds:\n%s", regexp.MustCompile(`(?s)<section id="thresholds">.*?</section>`).Find(html))
	}
}

// Bad rules are usage errors before any load.
func TestBadRulesAreUsageErrors(t *testing.T) {
	srv, n := countingServer(t)
	dir := t.TempDir()
	alerts := filepath.Join(dir, "alerts.yml")
	os.WriteFile(alerts, []byte("alerts:\n  - {name: p99, metric: latency, statistic: p99, comparison: '>', threshold: 1}\n"), 0o644)
	bad := filepath.Join(dir, "bad.yml")
	os.WriteFile(bad, []byte("alerts:\n  - {name: x, metric: latncy, comparison: '>', threshold: 1}\n"), 0o644)
	endpointAlert := filepath.Join(dir, "endpoint.yml")
	os.WriteFile(endpointAlert, []byte("alerts:\n  - {name: slow, metric: latency, endpoint: GET /nowhere, statistic: p99, comparison: '>', threshold: 1}\n"), 0o644)
	script := runScriptFile(t, "config:\n  phases: [{duration: 1, arrivalCount: 1}]\n  alerts:\n    - {name: p99, metric: errors, comparison: '>', threshold: 1}\nscenarios: [{flow: [{get: {url: /}}]}]\n")
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"quick", srv.URL, "--threshold", "p(99)<3x0ms"}, `--threshold: threshold "p(99)<3x0ms": column 7`},
		{[]string{"quick", srv.URL, "--alerts", filepath.Join(dir, "none.yml")}, "cannot read alerts file"},
		{[]string{"quick", srv.URL, "--alerts", bad}, `did you mean "latency"?`},
		{[]string{"run", "-t", srv.URL, "--alerts", alerts, script}, `alert "p99" is also in the script's config.alerts`},
		{[]string{"quick", srv.URL, "--junit", filepath.Join(dir, "no", "dir", "j.xml")}, "--junit:"},
		{[]string{"quick", srv.URL + "/items", "--threshold", "GET /itemz: p(99)<1s"},
			`threshold "GET /itemz: p(99)<1s": the test has no endpoint "GET /itemz"`},
		{[]string{"run", "-t", srv.URL, "--threshold", `http_req_duration{name:"GET /home"}: p(99)<1s`, script},
			`the test has no endpoint "GET /home" (did you mean "GET /"?)`},
		{[]string{"run", "-t", srv.URL, "--alerts", endpointAlert, script}, `alert "slow": the test has no endpoint "GET /nowhere"`},
	} {
		res := surge(t, context.Background(), tt.args...)
		if res.code != ExitUsage || !strings.Contains(res.stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tt.args, res.code, res.stderr, tt.want)
		}
	}
	if n.Load() != 0 {
		t.Errorf("%d requests sent", n.Load())
	}
}

// docs/cli.md and every command's --help hold the same table of exit
// codes, the one in exitcodes.go.
func TestExitCodesAreOneTableInTheDocsAndEveryHelp(t *testing.T) {
	doc, err := os.ReadFile("../../docs/cli.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(doc), "\n## Exit codes\n")
	section, _, _ = strings.Cut(section, "\n## ")
	rows := regexp.MustCompile(`(?m)^\| (\d+) \| (.+) \|$`).FindAllStringSubmatch(section, -1)
	if len(rows) != len(exitCodes) {
		t.Fatalf("docs/cli.md has %d exit codes, the code %d", len(rows), len(exitCodes))
	}
	for i, e := range exitCodes {
		if rows[i][1] != strconv.Itoa(e.code) || rows[i][2] != e.meaning {
			t.Errorf("row %d: docs %q %q, code %d %q", i, rows[i][1], rows[i][2], e.code, e.meaning)
		}
	}
	for _, cmd := range commandPaths(newRoot(IO{})) {
		res := surge(t, context.Background(), append(cmd, "--help")...)
		if !strings.Contains(res.stdout, exitCodesHelp()) {
			t.Errorf("surge %v --help lacks the exit codes:\n%s", cmd, res.stdout)
		}
	}
}

// commandPaths are the arguments that name every command under c (c
// itself included, as no argument).
func commandPaths(c *cobra.Command) [][]string {
	out := [][]string{{}}
	for _, sub := range c.Commands() {
		for _, p := range commandPaths(sub) {
			out = append(out, append([]string{sub.Name()}, p...))
		}
	}
	return out
}

// surge compare writes its verdict rows as JUnit (the regressed rows
// failed, as the exit code says) and appends its Markdown to the job
// summary.
func TestCompareWritesJUnitAndTheStepSummary(t *testing.T) {
	dir := t.TempDir()
	base, slow := writeRun(t, dir, "base.json", 30, 20, 1), writeRun(t, dir, "slow.json", 30, 30, 3)
	junit, summary := filepath.Join(dir, "j.xml"), filepath.Join(dir, "summary.md")
	t.Setenv("GITHUB_STEP_SUMMARY", summary)
	res := surge(t, context.Background(), "compare", "--resamples", "200", "--junit", junit, base, slow)
	if res.code != ExitRegression {
		t.Fatalf("exit %d\n%s", res.code, res.stderr)
	}
	x, _ := os.ReadFile(junit)
	for _, want := range []string{`<testsuite name="compare base.json vs slow.json" tests="9" failures="`, `<testcase name="all p50" classname="surge.compare.all">`,
		`<failure message="p50 20.`, `regressed" type="Regressed">`} {
		if !strings.Contains(string(x), want) {
			t.Errorf("junit lacks %q:\n%s", want, x)
		}
	}
	md, _ := os.ReadFile(summary)
	if !strings.Contains(string(md), "<!-- surge-compare -->\n### ❌ Regression") {
		t.Errorf("step summary:\n%s", md)
	}
	t.Setenv("GITHUB_ACTIONS", "true")
	res = surge(t, context.Background(), "compare", "--resamples", "200", base, slow)
	if !strings.Contains(res.stderr, "::error title=Regressed%3A all p50::p50 20.") {
		t.Errorf("in a workflow, stderr lacks the regression's annotation:\n%s", res.stderr)
	}
}

// In a GitHub Actions workflow a run's failed checks are error
// annotations and its unjudged ones notices, on stderr, so that stdout
// can carry the results; outside one there are none.
func TestRunAnnotatesItsChecksInAWorkflow(t *testing.T) {
	srv, _ := countingServer(t)
	args := []string{"run", "-t", srv.URL, "-q", "--threshold", "count<5", "--threshold", "GET /other: p(99)<1s",
		"--threshold", "GET /x: p(99)<60s", "--stream", "-", runScriptFile(t, neverOther)}
	res := surge(t, context.Background(), args...)
	if res.code != ExitThresholds || strings.Contains(res.stderr, "::") {
		t.Fatalf("outside a workflow: exit %d, stderr:\n%s", res.code, res.stderr)
	}
	t.Setenv("GITHUB_ACTIONS", "true")
	res = surge(t, context.Background(), args...)
	want := []string{"::error title=ThresholdFailed%3A count<5::count=20 over the run (limit <5)\n",
		"::notice title=not judged%3A GET /other%3A p(99)<1s::no data (nothing to measure)\n"}
	for _, w := range want {
		if !strings.Contains(res.stderr, w) {
			t.Errorf("stderr lacks %q:\n%q", w, res.stderr)
		}
	}
	if n := strings.Count("\n"+res.stderr, "\n::"); n != len(want) || strings.Contains(res.stdout, "::") {
		t.Errorf("%d annotations on stderr (want %d, none for the passing check) or one on stdout:\n%s", n, len(want), res.stderr)
	}
}

// --junit on a run without checks writes a valid report with no test case
// and says why on stderr; with a check it says nothing of the kind.
func TestJUnitWithoutChecksSaysSo(t *testing.T) {
	srv, _ := countingServer(t)
	junit := filepath.Join(t.TempDir(), "j.xml")
	base := []string{"quick", srv.URL + "/x", "--rate", "20", "--duration", "1s", "-q", "--junit", junit}
	res := surge(t, context.Background(), base...)
	x, err := os.ReadFile(junit)
	if res.code != ExitOK || err != nil || !strings.Contains(string(x), `tests="0"`) ||
		!strings.Contains(res.stderr, "holds no test case: the run had no checks") {
		t.Fatalf("no checks: exit %d, %v, stderr %q\n%s", res.code, err, res.stderr, x)
	}
	res = surge(t, context.Background(), append(base, "--threshold", "count>0")...)
	if x, _ := os.ReadFile(junit); res.code != ExitOK || strings.Contains(res.stderr, "no test case") || !strings.Contains(string(x), `tests="1"`) {
		t.Fatalf("a check: exit %d, stderr %q\n%s", res.code, res.stderr, x)
	}
}

// A run whose expect checks fail exits 21, and its CI outputs say it
// failed: the JUnit report fails the expect checks (with the count), the
// workflow gets an error annotation, and the step summary's verdict is
// not "passed". They used to hold no trace of the expect checks.
func TestFailedExpectChecksFailTheCIOutputs(t *testing.T) {
	srv, _ := countingServer(t)
	dir := t.TempDir()
	junit, summary := filepath.Join(dir, "junit.xml"), filepath.Join(dir, "summary.md")
	t.Setenv("GITHUB_STEP_SUMMARY", summary)
	t.Setenv("GITHUB_ACTIONS", "true")
	script := runScriptFile(t, `config:
  phases: [{duration: 1, arrivalCount: 4}]
  plugins: {expect: {}}
scenarios: [{flow: [{get: {url: /, expect: [{statusCode: 201}, {statusCode: 200}]}}]}]
`)
	res := surge(t, context.Background(), "run", "-q", "-t", srv.URL, "--junit", junit, script)
	if res.code != ExitExpect {
		t.Fatalf("exit %d, want %d\n%s%s", res.code, ExitExpect, res.stdout, res.stderr)
	}
	x, _ := os.ReadFile(junit)
	for _, want := range []string{`failures="1"`, `<testcase name="expect checks" classname="surge.expect">`,
		`<failure message="4 of 8 expect checks failed" type="ExpectFailed">`} {
		if !strings.Contains(string(x), want) {
			t.Errorf("junit lacks %s:\n%s", want, x)
		}
	}
	if strings.Contains(res.stderr, "no test case") || !strings.Contains(res.stderr, "::error title=ExpectFailed%3A expect checks::4 of 8") {
		t.Errorf("stderr:\n%s", res.stderr)
	}
	md, _ := os.ReadFile(summary)
	if !strings.Contains(string(md), "### ❌ surge run "+script+": failed (exit 21)") ||
		!strings.Contains(string(md), "| ❌ | expect checks | 4 of 8 expect checks failed |") {
		t.Errorf("step summary:\n%s", md)
	}
}
