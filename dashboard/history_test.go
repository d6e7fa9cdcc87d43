package dashboard

import (
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/results"
)

// TestHistoryCSVStatesTheLastIntervalsLength: a test ends 20 ms after
// its last full second with 2 requests in that tail. The history CSV
// keeps the row, as the results file does, says it lasted 0.02 s, and
// gives the same rate as the results file over that length.
func TestHistoryCSVStatesTheLastIntervalsLength(t *testing.T) {
	s, _, srv := newTestServer(t, "")
	s.BeginRun(results.Test{Name: "t"})
	t0 := time.Unix(1700000000, 0)
	rec := metrics.NewRecorder([]string{"GET /a"}, 2, t0)
	ends := []time.Duration{time.Second, 2 * time.Second, 2*time.Second + 20*time.Millisecond}
	for i, end := range ends {
		last := i == len(ends)-1
		n := 50
		if last {
			n = 2
		}
		for k := range n {
			rec.Record(uint64(k), &metrics.Sample{Latency: time.Millisecond, Status: 200})
		}
		s.Publish(rec.Flush(t0.Add(end), last), nil)
	}
	r := resultsFile(t, srv.URL)
	if len(r.Intervals) != 3 {
		t.Fatalf("results: %d intervals", len(r.Intervals))
	}
	rows, col := csvTable(t, srv.URL+"/api/history.csv")
	if len(rows) != 4 {
		t.Fatalf("history csv %v", rows)
	}
	if _, ok := col["duration_s"]; !ok {
		t.Fatalf("no duration_s column: %v", rows[0])
	}
	for i, iv := range r.Intervals {
		row := rows[i+1]
		d, _ := strconv.ParseFloat(row[col["duration_s"]], 64)
		rps, _ := strconv.ParseFloat(row[col["rps"]], 64)
		if d != iv.DurationS || rps != iv.RPS || row[col["requests"]] != strconv.FormatInt(iv.Requests, 10) {
			t.Errorf("row %d %v: want duration_s %v, rps %v, %d requests as in the results", i, row, iv.DurationS, iv.RPS, iv.Requests)
		}
	}
	if last := rows[3]; last[col["duration_s"]] != "0.02" || last[col["rps"]] != "100" {
		t.Fatalf("last row %v: want 2 requests over 0.02 s, 100/s", last)
	}
}

// Against a server that fails fast and succeeds slowly, each row of
// history.csv gives its second's latency of the requests that did not
// fail (ok_p50_ms, ok_p95_ms, ok_p99_ms, after the columns it had
// before): the samples' and the results file's, its median slow where
// that of every request is a fast failure's; the second in which nothing
// succeeded has empty cells, not 0.
func TestHistoryCSVGivesEachSecondsLatencyOfTheRequestsThatDidNotFail(t *testing.T) {
	s, _, srv := newTestServer(t, "")
	s.BeginRun(results.Test{Name: "overload"})
	o := publishOverload(t, s, nil)
	r := resultsFile(t, srv.URL)
	rows, col := csvTable(t, srv.URL+"/api/history.csv")
	n := len(overloadSeconds)
	if len(rows) != n+1 || len(r.Intervals) != n || len(rows[0]) < len(historyColumnsBefore) ||
		!slices.Equal(rows[0][:len(historyColumnsBefore)], historyColumnsBefore) {
		t.Fatalf("history csv %v, %d intervals: want its columns before, in place, and %d rows", rows, len(r.Intervals), n)
	}
	if overloadSeconds[1].aSlow != 0 || o.okSeconds[1].TotalCount() != 0 {
		t.Fatal("the second second should have had no success, to check its empty cells")
	}
	for sec, h := range o.okSeconds {
		row, what := rows[sec+1], "second "+strconv.Itoa(sec)
		ok := cells(t, row, col, "ok_p50_ms", "ok_p95_ms", "ok_p99_ms")
		checkOKCells(t, what, ok, want(h))
		checkOKCells(t, what+", against the results file", ok, percentilesOK(r.Intervals[sec].LatencyOK))
		if h.TotalCount() > 0 {
			checkSlower(t, what, ok, cells(t, row, col, "p50_ms", "p95_ms", "p99_ms"))
		}
	}
}

// TestHistoryCSVCountsEachSecondsFailures: responses outside the
// expected statuses are failures in the history CSV as in the results
// file: a second of 503s reads as failed requests, not merely as
// requests without errors. The column comes last, after those it had.
func TestHistoryCSVCountsEachSecondsFailures(t *testing.T) {
	s, _, srv := newTestServer(t, "")
	s.BeginRun(results.Test{Name: "t"})
	t0 := time.Unix(1700000000, 0)
	rec := metrics.NewRecorder([]string{"GET /a"}, 2, t0)
	for sec, status := range []int{200, 503} {
		for k := range 10 {
			rec.Record(uint64(k), &metrics.Sample{Latency: time.Millisecond, Status: status, Failed: status >= 400})
		}
		s.Publish(rec.Flush(t0.Add(time.Duration(sec+1)*time.Second), sec == 1), nil)
	}
	r := resultsFile(t, srv.URL)
	rows, col := csvTable(t, srv.URL+"/api/history.csv")
	if len(rows) != 3 || len(r.Intervals) != 2 || rows[0][len(rows[0])-1] != "failures" {
		t.Fatalf("history csv %v, %d intervals: want a failures column, last, and a row per interval", rows, len(r.Intervals))
	}
	for i, want := range []string{"0", "10"} {
		if got := rows[i+1][col["failures"]]; got != want || got != strconv.FormatInt(r.Intervals[i].Failures, 10) {
			t.Errorf("second %d: failures %q, want %s as the results file's %d", i, got, want, r.Intervals[i].Failures)
		}
	}
}
