package dashboard

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/surge-dev/surge/report"
	"github.com/surge-dev/surge/results"
)

// snapshotResults returns the results so far, or answers 404.
func (s *Server) snapshotResults(w http.ResponseWriter) (*results.Results, bool) {
	s.mu.Lock()
	r, err := s.whole(s.run)
	s.mu.Unlock()
	if err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return nil, false
	}
	return r, true
}

func attach(w http.ResponseWriter, name, contentType string) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
}

func (s *Server) downloadResults(w http.ResponseWriter, _ *http.Request) {
	r, ok := s.snapshotResults(w)
	if !ok {
		return
	}
	attach(w, "surge-results.json", "application/json")
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	enc.Encode(r)
}

func (s *Server) downloadReport(w http.ResponseWriter, _ *http.Request) {
	r, ok := s.snapshotResults(w)
	if !ok {
		return
	}
	var opts report.Options
	if s.cfg.Verdicts != nil {
		opts.Verdicts = s.cfg.Verdicts(r)
	}
	var buf bytes.Buffer
	if err := report.Write(&buf, r, opts); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	attach(w, "surge-report.html", "text/html; charset=utf-8")
	w.Write(buf.Bytes())
}

// downloadStats writes the per-endpoint table, as Locust's stats CSV.
// The latency of the requests that did not fail comes last, after the
// columns it had before, so that scripts reading those by position
// still find them.
func (s *Server) downloadStats(w http.ResponseWriter, _ *http.Request) {
	r, ok := s.snapshotResults(w)
	if !ok {
		return
	}
	attach(w, "surge-stats.csv", "text/csv")
	cw := csv.NewWriter(w)
	cw.Write([]string{"name", "requests", "failures", "errors", "rps", "min_ms", "median_ms", "p90_ms", "p95_ms",
		"p99_ms", "p999_ms", "max_ms", "bytes_sent", "bytes_received", "ok_median_ms", "ok_p95_ms", "ok_p99_ms"})
	for _, e := range r.Endpoints {
		cw.Write(statsRecord(e.Name, e.Stats))
	}
	cw.Write(statsRecord("Aggregated", r.Aggregate.Stats))
	cw.Flush()
}

func statsRecord(name string, st results.Stats) []string {
	l := st.Latency
	rec := []string{name, itoa(st.Requests), itoa(failures(st)), itoa(st.Errors), ftoa(st.RPS), ftoa(l.Min),
		ftoa(l.P50), ftoa(l.P90), ftoa(l.P95), ftoa(l.P99), ftoa(l.P999), ftoa(l.Max), itoa(st.BytesSent), itoa(st.BytesRecv)}
	return append(rec, okCells(st.LatencyOK)...)
}

// okCells are the p50, p95 and p99 of the latency of the requests that
// did not fail, picked as the page's are (percentilesOK) so the two
// agree; empty where none did, as a 0 would read as a fast success.
func okCells(l *results.Latency) []string {
	p := percentilesOK(l)
	if p == nil {
		return []string{"", "", ""}
	}
	return []string{ftoa(p.P50), ftoa(p.P95), ftoa(p.P99)}
}

// downloadHistory writes one row per interval of the results: a second,
// but the last is the fraction after the last full one. Like the results
// file it keeps that row and states its length, duration_s, over which
// its rps is counted: without it, a few requests in the last few
// milliseconds read as a spike of a whole second. The column comes last
// so that readers counting columns are not thrown off; the latency of
// the requests that did not fail, added later, comes after it for the
// same reason, and so do the failures (errors plus responses outside the
// expected statuses), without which a second of nothing but 503s read
// as requests without a single error.
func (s *Server) downloadHistory(w http.ResponseWriter, _ *http.Request) {
	r, ok := s.snapshotResults(w)
	if !ok {
		return
	}
	attach(w, "surge-history.csv", "text/csv")
	cw := csv.NewWriter(w)
	cw.Write([]string{"t", "start", "requests", "errors", "rps", "p50_ms", "p95_ms", "p99_ms", "service_p99_ms",
		"active_vus", "in_flight", "dropped", "duration_s", "ok_p50_ms", "ok_p95_ms", "ok_p99_ms", "failures"})
	for _, iv := range r.Intervals {
		cw.Write(historyRecord(iv))
	}
	cw.Flush()
}

func historyRecord(iv results.Interval) []string {
	rec := []string{strconv.Itoa(iv.Index), iv.Start.UTC().Format("2006-01-02T15:04:05.000Z07:00"),
		itoa(iv.Requests), itoa(iv.Errors), ftoa(iv.RPS), ftoa(iv.Latency.P50), ftoa(iv.Latency.P95),
		ftoa(iv.Latency.P99), ftoa(iv.Service.P99), itoa(iv.ActiveVUs), itoa(iv.InFlight), itoa(iv.Dropped),
		ftoa(iv.DurationS)}
	return append(append(rec, okCells(iv.LatencyOK)...), itoa(iv.Failures))
}

func itoa(n int64) string   { return strconv.FormatInt(n, 10) }
func ftoa(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
