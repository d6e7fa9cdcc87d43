package dashboard

import (
	"encoding/csv"
	"encoding/json"
	"strconv"
	"strings"
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
	var r results.Results
	if _, body := get(t, srv.URL+"/api/results.json", nil); json.Unmarshal([]byte(body), &r) != nil || len(r.Intervals) != 3 {
		t.Fatalf("results: %s", body)
	}
	_, body := get(t, srv.URL+"/api/history.csv", nil)
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil || len(rows) != 4 {
		t.Fatalf("history csv %v (%v)", rows, err)
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
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
