package console

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/surge-dev/surge/results"
)

// Summary prints the end-of-test table: one row per endpoint and a total,
// then status codes, errors and virtual users.
func Summary(w io.Writer, r *results.Results) {
	a := r.Aggregate
	fmt.Fprintf(w, "\nSummary (%s%s)\n", fmtElapsed(time.Duration(r.Test.DurationS*float64(time.Second))), interrupted(r))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "endpoint\tcount\trps\terrors\tp50\tp90\tp95\tp99\tp99.9\tmax\t")
	for _, e := range r.Endpoints {
		row(tw, e.Name, e.Stats)
	}
	if len(r.Endpoints) > 1 {
		row(tw, "total", a.Stats)
	}
	tw.Flush()
	fmt.Fprintf(w, "latency is measured from each request's intended start (coordinated omission corrected); service time p99 %s\n",
		msf(a.Service.P99))
	fmt.Fprintf(w, "codes: %s\n", counts(a.Codes, results.SortedCodes(a.Codes)))
	if len(a.ErrorKind) > 0 {
		fmt.Fprintf(w, "errors: %s\n", counts(a.ErrorKind, sortedKeys(a.ErrorKind)))
	}
	fmt.Fprintf(w, "vusers: created %d, completed %d, failed %d, dropped %d (max %d at once)\n",
		a.VUsers.Created, a.VUsers.Completed, a.VUsers.Failed, a.Dropped, a.MaxActiveVUs)
}

func interrupted(r *results.Results) string {
	if r.Test.Interrupted {
		return ", interrupted"
	}
	return ""
}

func row(w io.Writer, name string, s results.Stats) {
	l := s.Latency
	fmt.Fprintf(w, "%s\t%d\t%.1f\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t\n", truncate(name, 48), s.Requests, s.RPS, s.Errors,
		msf(l.P50), msf(l.P90), msf(l.P95), msf(l.P99), msf(l.P999), msf(l.Max))
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
