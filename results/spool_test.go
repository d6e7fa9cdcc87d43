package results

import (
	"encoding/json"
	"errors"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/surge-dev/surge/metrics"
)

// feed gives b n seconds of snapshots, the last one final, each with a
// monitor series.
func feed(b *Builder, n int) {
	t0 := time.Unix(1700000000, 0)
	rec := metrics.NewRecorder([]string{"GET /a"}, 1, t0)
	for sec := 1; sec <= n; sec++ {
		for i := range 50 {
			s := metrics.Sample{Latency: time.Duration(sec*50+i) * time.Microsecond, Service: time.Microsecond, Status: 200 + i%2}
			rec.Record(uint64(i), &s)
		}
		b.AddWithMonitor(rec.Flush(t0.Add(time.Duration(sec)*time.Second), sec == n), map[string]float64{"tasks": float64(sec)})
	}
}

func document(t *testing.T, b *Builder) []byte {
	t.Helper()
	r, err := b.Results()
	if err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestSpoolGivesTheSameDocument(t *testing.T) {
	failing := func() (*os.File, error) { return nil, errors.New("disk full") }
	tests := []struct {
		name   string
		create func() (*os.File, error)
	}{
		{"temporary file", nil},
		{"no file: kept in memory", failing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mem := &Builder{Test: Test{Name: "t"}}
			disk := &Builder{Test: Test{Name: "t"}, Spool: true}
			disk.spool.create = tt.create
			feed(mem, 40)
			feed(disk, 40)
			if got, want := document(t, disk), document(t, mem); string(got) != string(want) {
				t.Fatalf("spooled document differs:\n%.300s\nwant\n%.300s", got, want)
			}
			if tt.create != nil && (len(disk.spool.mem) != 40 || disk.spool.f != nil) {
				t.Errorf("fallback kept %d intervals in memory, file %v", len(disk.spool.mem), disk.spool.f)
			}
			if err := disk.Close(); err != nil {
				t.Fatal(err)
			}
			if err := disk.Close(); err != nil || len(disk.Intervals()) != 0 {
				t.Fatal("Close is not idempotent or left intervals behind")
			}
		})
	}
}

func TestSpoolReadMidStream(t *testing.T) {
	b := &Builder{Spool: true}
	defer b.Close()
	feed(b, 5)
	if n := len(b.Intervals()); n != 5 {
		t.Fatalf("%d intervals, want 5", n)
	}
	feed(b, 2)
	ivs := b.Intervals()
	if len(ivs) != 7 || ivs[5].Monitor["tasks"] != 1 || ivs[4].Monitor["tasks"] != 5 {
		t.Fatalf("after more adds: %d intervals, last index %d", len(ivs), ivs[len(ivs)-1].Index)
	}
}

// TestSpoolFileFailsMidway writes to a file that is closed under the
// spool: what was written stays readable and the rest is kept in memory.
func TestSpoolFileFailsMidway(t *testing.T) {
	var f *os.File
	b := &Builder{Spool: true}
	b.spool.create = func() (*os.File, error) {
		var err error
		f, err = os.CreateTemp(t.TempDir(), "spool")
		return f, err
	}
	feed(b, 3)
	b.spool.w.Flush()
	f.Close()
	b.spool.w.Reset(f)
	feed(b, 2)
	if !b.spool.broken {
		t.Skip("the closed file took the writes") // cannot happen on Linux, but is not this test's point
	}
	if _, err := b.Results(); err == nil {
		t.Fatal("reading a closed spool back succeeded")
	}
}

// BenchmarkHeapPerInterval reports the heap kept per interval, in memory
// and spooled: go test -run XXX -bench HeapPerInterval ./results
func BenchmarkHeapPerInterval(b *testing.B) {
	for _, spooled := range []bool{false, true} {
		name := map[bool]string{false: "memory", true: "spool"}[spooled]
		b.Run(name, func(b *testing.B) {
			for range b.N {
				bl := &Builder{Spool: spooled}
				feed(bl, 500)
				before := heapInUse()
				feed(bl, 1000)
				b.ReportMetric(float64(heapInUse()-before)/1000, "heap-B/interval")
				runtime.KeepAlive(bl)
				bl.Close()
			}
		})
	}
}

func heapInUse() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapInuse)
}
