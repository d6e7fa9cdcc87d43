package console

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/results"
)

// Summary prints the end-of-test table: one row per endpoint and a total,
// then status codes, errors, failures and virtual users.
//
// Errors are requests without a response; failures are errors plus
// responses outside the expected statuses (see results.Stats).
func Summary(w io.Writer, r *results.Results) {
	a := r.Aggregate
	fmt.Fprintf(w, "\nSummary (%s%s%s)\n", fmtSeconds(r.Test.DurationS), resetNote(r), interrupted(r))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "endpoint\tcount\trps\terrors\tfailures\tfail%\tp50\tp90\tp95\tp99\tp99.9\tmax\t")
	for _, e := range r.Endpoints {
		row(tw, e.Name, e.Stats)
	}
	if len(r.Endpoints) > 1 {
		row(tw, "total", a.Stats)
	}
	tw.Flush()
	fmt.Fprintf(w, "latency is measured from each request's intended start (coordinated omission corrected); service time p99 %s\n",
		msf(a.Service.P99))
	if line := OKLatencyLine(a.Stats); line != "" {
		fmt.Fprintln(w, line)
	}
	fmt.Fprintf(w, "codes: %s\n", counts(a.Codes, results.SortedCodes(a.Codes)))
	if len(a.ErrorKind) > 0 {
		fmt.Fprintf(w, "errors: %s\n", counts(a.ErrorKind, sortedKeys(a.ErrorKind)))
	}
	for _, kind := range sortedKeys(a.ErrorKind) {
		if hint := errorHints[kind]; hint != "" {
			fmt.Fprintf(w, "hint: %s: %s\n", kind, hint)
		}
	}
	fmt.Fprintln(w, FailureLine(r))
	if line := ResentLine(r); line != "" {
		fmt.Fprintln(w, line)
	}
	fmt.Fprintf(w, "vusers: created %d, completed %d, failed %d, dropped %d (max %d at once)\n",
		a.VUsers.Created, a.VUsers.Completed, a.VUsers.Failed, a.Dropped, a.MaxActiveVUs)
	if line := VUFailureLine(a.VUsers); line != "" {
		fmt.Fprintln(w, line)
	}
	for _, c := range []struct{ prefix, what string }{
		{metrics.FailurePrefix, "failed by the test"},
		{metrics.TaskErrorPrefix, "task errors"},
	} {
		if line := CounterLine(r.Counters, c.prefix, c.what); line != "" {
			fmt.Fprintln(w, line)
		}
	}
	if warning := GeneratorWarning(r); warning != "" {
		fmt.Fprintln(w, warning)
	}
}

// errorHints say what to do about errors that are the load generator's
// own rather than the target's: counted as errors all the same, they
// would otherwise read as the server's failures.
var errorHints = map[string]string{
	"EMFILE": "Surge ran out of file descriptors (these requests never left this machine); " +
		"raise the limit (ulimit -n N in the shell that starts Surge, LimitNOFILE= in a systemd unit) " +
		"or use fewer users or connections",
	"ENOHTTP2": "the target does not speak HTTP/2: over TLS it did not choose h2 in ALPN (those requests never reached it); " +
		"to an http:// URL protocol http2 speaks HTTP/2 from the first byte (h2c with prior knowledge), which a server " +
		"without h2c answers in HTTP/1.1 or by hanging up; use --protocol auto or http1 (config.http.protocol) to measure what it speaks",
}

// FailureLine says how many requests failed and why: "failures: 400 of
// 2000 requests (20.0%): 0 errors (0.0%), 400 responses outside the
// expected statuses 100-399", and, when the test judged responses itself
// (a Go task's Failure or Success), how many it failed and passed:
// "…, 350 responses outside the expected statuses 100-399, 50 failed by
// the test (and 10 outside them passed by it)".
func FailureLine(r *results.Results) string {
	a := r.Aggregate
	expected := "the expected statuses"
	if r.Test.ExpectStatus != "" {
		expected += " " + r.Test.ExpectStatus
	}
	failed, passed := r.Counters[metrics.FailedByTestCounter], r.Counters[metrics.PassedByTestCounter]
	line := fmt.Sprintf("failures: %d of %d requests (%s): %d errors (%s), %d responses outside %s",
		a.Failures, a.Requests, Pct(a.FailureRatePct), a.Errors, Pct(a.ErrorRatePct), a.Failures-a.Errors-failed, expected)
	if failed > 0 {
		line += fmt.Sprintf(", %d failed by the test", failed)
	}
	if passed > 0 {
		line += fmt.Sprintf(" (and %d outside them passed by the test)", passed)
	}
	return line
}

// OKLatencyLine gives the latency of the requests that did not fail,
// when some did: fast failures (a 429 or a 503 sent at once) pull the
// table's percentiles down, and the run that fails most would read
// fastest. "" when nothing failed: the two are then the same.
func OKLatencyLine(s results.Stats) string {
	const what = "latency of the requests that did not fail"
	switch {
	case s.Failures == 0:
		return ""
	case s.LatencyOK == nil:
		return what + ": not recorded (results of a Surge before it recorded it)"
	case s.LatencyOK.Sample == 0:
		return fmt.Sprintf("%s: none, all %d failed", what, s.Requests)
	}
	l := s.LatencyOK
	return fmt.Sprintf("latency of the %d requests that did not fail (%d failed): p50 %s  p90 %s  p95 %s  p99 %s  p99.9 %s  max %s",
		l.Sample, s.Failures, msf(l.P50), msf(l.P90), msf(l.P95), msf(l.P99), msf(l.P999), msf(l.Max))
}

// ResentLine says how many requests went out twice, "" if none: a
// request lost with its reused connection after it was written is sent
// again on a new one when it is idempotent (as net/http does), and the
// server may have received both.
func ResentLine(r *results.Results) string {
	n := r.Counters[metrics.ResentCounter]
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("resent: %d requests sent again on a new connection after the server dropped a reused one "+
		"with the request written; the server may count %d requests", n, r.Aggregate.Requests+n)
}

// Pct formats a percentage (0 to 100) for people: one decimal, or two
// significant digits below 0.1 % so that a rare failure does not read 0.
func Pct(v float64) string {
	if v > 0 && v < 0.1 {
		return fmt.Sprintf("%.2g%%", v)
	}
	return fmt.Sprintf("%.1f%%", v)
}

// CounterLine lists the counters whose names begin with prefix, most
// frequent first, under what: "task errors 40: browse: no token 38,
// checkout: panic: … 2". Empty when none moved.
func CounterLine(counters map[string]int64, prefix, what string) string {
	var names []string
	var total int64
	for name, n := range counters {
		if strings.HasPrefix(name, prefix) && n > 0 {
			names = append(names, name)
			total += n
		}
	}
	if len(names) == 0 {
		return ""
	}
	sort.Slice(names, func(i, j int) bool {
		if counters[names[i]] != counters[names[j]] {
			return counters[names[i]] > counters[names[j]]
		}
		return names[i] < names[j]
	})
	parts := make([]string, len(names))
	for i, name := range names {
		parts[i] = fmt.Sprintf("%s %d", strings.TrimPrefix(name, prefix), counters[name])
	}
	return fmt.Sprintf("%s %d: %s", what, total, strings.Join(parts, ", "))
}

// maxReasonMessage bounds the first message shown per reason.
const maxReasonMessage = 100

// VUFailureLine lists why VUs failed, with the first message of each
// reason: `vusers failed 10: EINVALIDURL 10 (url "ftp://x": …)`. Empty
// when none failed.
func VUFailureLine(v results.VUs) string {
	if v.Failed == 0 {
		return ""
	}
	parts := make([]string, 0, len(v.FailedBy))
	for _, f := range v.FailedBy {
		part := fmt.Sprintf("%s %d", f.Reason, f.Count)
		// Messages often start with their reason; say it once.
		if msg := strings.TrimPrefix(f.First, f.Reason+": "); msg != "" && msg != f.Reason {
			part += " (" + truncate(oneLine(msg), maxReasonMessage) + ")"
		}
		parts = append(parts, part)
	}
	if len(parts) == 0 {
		return fmt.Sprintf("vusers failed %d", v.Failed)
	}
	return fmt.Sprintf("vusers failed %d: %s", v.Failed, strings.Join(parts, ", "))
}

// oneLine keeps a message on one terminal line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// interrupted says that the test stopped before its planned end, and
// which rule stopped it if one did.
func interrupted(r *results.Results) string {
	switch {
	case r.Test.AbortedBy != "":
		return ", stopped by " + r.Test.AbortedBy
	case r.Test.Interrupted:
		return ", interrupted"
	case r.Test.StoppedBy != "":
		return ", stopped by " + r.Test.StoppedBy
	}
	return ""
}

// resetNote says what span the figures cover after a reset.
func resetNote(r *results.Results) string {
	if r.Test.ResetAt.IsZero() {
		return ""
	}
	at := r.Test.ResetAt.Sub(r.Test.Started).Seconds()
	return fmt.Sprintf("; statistics reset at %s: figures cover the last %s", fmtSeconds(at), fmtSeconds(r.Aggregate.SpanS))
}

func fmtSeconds(s float64) string { return fmtElapsed(time.Duration(s * float64(time.Second))) }

func row(w io.Writer, name string, s results.Stats) {
	l := s.Latency
	rate := "-" // no requests, no rate
	if s.Requests > 0 {
		rate = Pct(s.FailureRatePct)
	}
	fmt.Fprintf(w, "%s\t%d\t%.1f\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", truncate(name, 48), s.Requests, s.RPS,
		s.Errors, s.Failures, rate, msf(l.P50), msf(l.P90), msf(l.P95), msf(l.P99), msf(l.P999), msf(l.Max))
}

func msf(v float64) string { return ms(time.Duration(v * float64(time.Millisecond))) }

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n-1] + "…"
}

func counts(m map[string]int64, keys []string) string {
	if len(keys) == 0 {
		return "none"
	}
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%d", k, m[k])
	}
	return strings.Join(parts, " ")
}

func sortedKeys(m map[string]int64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// maxMonitorRows bounds the target-side table; the results file has all.
const maxMonitorRows = 16

// Monitor prints the target-side series seen during the test: the last
// value and the highest.
func Monitor(w io.Writer, r *results.Results) {
	last, peak := map[string]float64{}, map[string]float64{}
	for _, iv := range r.Intervals {
		for k, v := range iv.Monitor {
			last[k] = v
			if p, ok := peak[k]; !ok || v > p {
				peak[k] = v
			}
		}
	}
	if len(last) == 0 {
		return
	}
	fmt.Fprintln(w, "target (monitored):")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  series\tlast\tmax")
	for i, k := range sortedFloatKeys(last) {
		if i == maxMonitorRows {
			fmt.Fprintf(tw, "  … %d more in the results file\t\t\n", len(last)-i)
			break
		}
		fmt.Fprintf(tw, "  %s\t%g\t%g\n", k, last[k], peak[k])
	}
	tw.Flush()
}

func sortedFloatKeys(m map[string]float64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
