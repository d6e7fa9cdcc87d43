package report

import (
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/surge-dev/surge/results"
)

// The report of a one-hour run at 10,000 requests/s must stay under 3 MB
// (and be written in under 2 s: see BenchmarkWriteHourLong).
func TestHourLongReportSize(t *testing.T) {
	r := synth(t, 3600, 10_000, "GET /items", "POST /orders", "GET /health")
	start := time.Now()
	page := renderString(t, r, Options{})
	t.Logf("one-hour report: %d bytes in %v", len(page), time.Since(start))
	if len(page) > 3<<20 {
		t.Errorf("one-hour report is %d bytes, over 3 MB", len(page))
	}
	if d := embeddedData(t, page); d.Timeline == nil || len(d.Timeline.T) > DefaultMaxPoints {
		t.Errorf("timeline not downsampled")
	}
}

func BenchmarkWriteHourLong(b *testing.B) {
	r := synth(b, 3600, 10_000, "GET /items", "POST /orders", "GET /health")
	var size int
	for b.Loop() {
		w := &countingWriter{}
		if err := Write(w, r, Options{}); err != nil {
			b.Fatal(err)
		}
		size = w.n
	}
	b.ReportMetric(float64(size), "bytes/report")
}

// BenchmarkReadWriteHourLong includes reading the results file (with
// its per-interval histograms) and writing the report file: what
// `surge report` does.
func BenchmarkReadWriteHourLong(b *testing.B) {
	dir := b.TempDir()
	in, out := filepath.Join(dir, "results.json"), filepath.Join(dir, "report.html")
	if err := results.WriteFile(in, synth(b, 3600, 10_000, "GET /items", "POST /orders", "GET /health")); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		r, err := results.ReadFile(in)
		if err != nil {
			b.Fatal(err)
		}
		if err := WriteFile(out, r, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	inInfo, _ := os.Stat(in)
	outInfo, _ := os.Stat(out)
	b.ReportMetric(float64(inInfo.Size()), "bytes/results")
	b.ReportMetric(float64(outInfo.Size()), "bytes/report")
}

type countingWriter struct{ n int }

func (w *countingWriter) Write(p []byte) (int, error) {
	w.n += len(p)
	return len(p), nil
}

var _ io.Writer = (*countingWriter)(nil)
