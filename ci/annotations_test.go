package ci

import (
	"bytes"
	"strings"
	"testing"
)

// annotation is one workflow command as the runner reads it back.
type annotation struct{ command, title, message string }

// readCommand parses a line the way GitHub's runner does: "::", the
// command, properties up to "::", the message; escapes undone.
func readCommand(t *testing.T, line string) annotation {
	t.Helper()
	rest, ok := strings.CutPrefix(line, "::")
	head, message, ok2 := strings.Cut(rest, "::")
	if !ok || !ok2 {
		t.Fatalf("not a workflow command: %q", line)
	}
	command, props, _ := strings.Cut(head, " ")
	a := annotation{command: command, message: unescape(message)}
	for _, p := range strings.Split(props, ",") {
		if k, v, _ := strings.Cut(p, "="); k == "title" {
			a.title = unescape(v)
		}
	}
	return a
}

func unescape(s string) string {
	return strings.NewReplacer("%0D", "\r", "%0A", "\n", "%3A", ":", "%2C", ",", "%25", "%").Replace(s)
}

// A run's failed checks are error annotations, its unjudged ones
// notices, each one line whatever its text holds, and the passing ones
// are left to the summary.
func TestAnnotationsAreTheFailedAndUnjudgedChecks(t *testing.T) {
	var b bytes.Buffer
	if err := WriteAnnotations(&b, RunReport(sampleRun(t))); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	got := map[string]annotation{}
	for _, l := range lines {
		a := readCommand(t, l)
		got[a.title] = a
	}
	want := map[string]struct{ command, message string }{
		"ThresholdFailed: p(99)<100ms":     {"error", "p(99)=300.031ms over the run (limit <100ms)"},
		"AbortedByAlert: p99":              {"error", "4s OK -> ALARM"},
		"EnsureFailed: http.requests < 10": {"error", "measured 400; limit 10"},
		"not judged: GET /x: p(95)<1s":     {"notice", "no data"},
	}
	if len(lines) != len(want) {
		t.Errorf("%d annotations, want %d:\n%s", len(lines), len(want), b.String())
	}
	for title, w := range want {
		a, ok := got[title]
		if !ok || a.command != w.command || !strings.Contains(a.message, w.message) {
			t.Errorf("%q: %+v, want a %s with %q", title, a, w.command, w.message)
		}
	}
}

func TestAnnotationTextIsEscapedAsTheRunnerReadsIt(t *testing.T) {
	c := Case{Name: "GET /a,b: rate<1%", Type: "ThresholdFailed", Failed: true, Message: "100% of 3\r\nfailed: 5%0A", Detail: "line 2"}
	var b bytes.Buffer
	if err := WriteAnnotations(&b, Report{Suites: []Suite{{Cases: []Case{c}}}}); err != nil {
		t.Fatal(err)
	}
	if strings.Count(b.String(), "\n") != 1 {
		t.Fatalf("one annotation spans lines: %q", b.String())
	}
	a := readCommand(t, strings.TrimSuffix(b.String(), "\n"))
	if a.command != "error" || a.title != "ThresholdFailed: GET /a,b: rate<1%" || a.message != "100% of 3\r\nfailed: 5%0A\nline 2" {
		t.Errorf("read back %+v from %q", a, b.String())
	}
}
