package results

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/surge-dev/surge/metrics"
)

// stream makes n seconds of snapshots, the last one final, with perSec
// samples each, and hands them to each in turn; made one at a time, as
// each holds whole histograms. Latencies spread from 0.1 to about 50 ms,
// as under load, so that the intervals' histograms are as large as a real
// run's.
func stream(n, perSec int, each func(i int, s metrics.Snapshot)) {
	t0 := time.Unix(1700000000, 0)
	rec := metrics.NewRecorder([]string{"GET /a"}, 1, t0)
	rng := rand.New(rand.NewPCG(1, 2))
	for sec := 1; sec <= n; sec++ {
		for i := range perSec {
			lat := 100*time.Microsecond + time.Duration(rng.ExpFloat64()*float64(5*time.Millisecond))
			s := metrics.Sample{Latency: lat, Service: lat / 2, Status: 200 + i%2}
			rec.Record(uint64(i), &s)
		}
		each(sec-1, rec.Flush(t0.Add(time.Duration(sec)*time.Second), sec == n))
	}
}

// feed gives every builder the same n seconds, each with a monitor series.
func feed(n, perSec int, bs ...*Builder) {
	stream(n, perSec, func(i int, s metrics.Snapshot) {
		for _, b := range bs {
			b.AddWithMonitor(s, monitor(i))
		}
	})
}

func monitor(i int) map[string]float64 { return map[string]float64{"tasks": float64(i)} }

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

func sameDocument(t *testing.T, got, want []byte) {
	t.Helper()
	if string(got) != string(want) {
		t.Fatalf("spooled document differs:\n%.300s\nwant\n%.300s", got, want)
	}
}

// readOnly makes a real file that takes no writes: every flush fails.
func readOnly(t *testing.T) func() (*os.File, error) {
	return func() (*os.File, error) {
		path := filepath.Join(t.TempDir(), "spool")
		if err := os.WriteFile(path, nil, 0o600); err != nil {
			return nil, err
		}
		return os.Open(path)
	}
}

func TestSpoolGivesTheSameDocument(t *testing.T) {
	const n = 24 // past the 16 kB buffer many times over; each interval costs an encoding
	tests := []struct {
		name    string
		create  func() (*os.File, error)
		bufSize int
		inFile  bool // the intervals end in the file, not in memory
	}{
		{"temporary file", nil, 0, true},
		{"small buffer: a flush every few lines", nil, 16 << 10, true},
		{"lines longer than the buffer", nil, 64, true},
		{"no file: kept in memory", func() (*os.File, error) { return nil, errors.New("disk full") }, 0, false},
		{"file refuses writes: kept in memory", readOnly(t), 16 << 10, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mem := &Builder{Test: Test{Name: "t"}}
			b := &Builder{Test: Test{Name: "t"}, Spool: true}
			defer b.Close()
			b.spool.create, b.spool.bufSize = tt.create, tt.bufSize
			feed(n, 200, mem, b)
			sameDocument(t, document(t, b), document(t, mem))
			if inFile := b.spool.n == n && len(b.spool.mem) == 0; inFile != tt.inFile {
				t.Errorf("%d intervals in the file, %d in memory", b.spool.n, len(b.spool.mem))
			}
		})
	}
}

func TestSpoolReadMidStream(t *testing.T) {
	for _, bufSize := range []int{0, 16 << 10} {
		mem := &Builder{Test: Test{Name: "t"}}
		b := &Builder{Test: Test{Name: "t"}, Spool: true}
		b.spool.bufSize = bufSize
		stream(12, 200, func(i int, s metrics.Snapshot) {
			mem.AddWithMonitor(s, monitor(i))
			b.AddWithMonitor(s, monitor(i))
			if ivs := b.Intervals(); len(ivs) != i+1 || ivs[i].Index != i || ivs[i].Monitor["tasks"] != float64(i) {
				t.Fatalf("buffer %d: after %d adds, %d intervals", bufSize, i+1, len(ivs))
			}
		})
		sameDocument(t, document(t, b), document(t, mem))
		b.Close()
	}
}

func TestCloseIsIdempotent(t *testing.T) {
	tests := []struct {
		name string
		b    *Builder
		add  bool
	}{
		{"spooled", &Builder{Spool: true}, true},
		{"spooled, nothing added", &Builder{Spool: true}, false},
		{"in memory", &Builder{}, true},
		{"no file", &Builder{Spool: true, spool: spool{create: func() (*os.File, error) { return nil, os.ErrPermission }}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			t.Setenv("TMPDIR", dir) // where os.CreateTemp puts the spool, on Unix
			if tt.add {
				feed(3, 50, tt.b)
			}
			f := tt.b.spool.f
			for i := range 2 {
				if err := tt.b.Close(); err != nil {
					t.Fatalf("Close #%d: %v", i+1, err)
				}
			}
			if f != nil {
				if _, err := f.Write([]byte("x")); !errors.Is(err, os.ErrClosed) {
					t.Errorf("the spool file is still open: %v", err)
				}
			}
			if left, _ := os.ReadDir(dir); len(left) != 0 {
				t.Errorf("left behind: %v", left)
			}
		})
	}
}

// TestSpoolUnlinksItsFile checks that a crash during the run leaves no
// file: the spool has no name in the directory from the start.
func TestSpoolUnlinksItsFile(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("an open file cannot be unlinked on Windows; Close removes it")
	}
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	b := &Builder{Spool: true}
	defer b.Close()
	feed(earlyMax+3, 50, b)
	if b.spool.f == nil {
		t.Fatal("no spool file")
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Fatalf("the spool file has a name: %v", left)
	}
}

// A test of a few seconds makes no file: its intervals stay in memory,
// the same document either way; the interval after earlyMax makes it,
// and the early ones go into it first, in order.
func TestSpoolMakesItsFileAfterTheFirstIntervals(t *testing.T) {
	made := 0
	create := func() (*os.File, error) {
		made++
		return os.CreateTemp(t.TempDir(), "spool")
	}
	for _, n := range []int{1, earlyMax, earlyMax + 1, 3 * earlyMax} {
		made = 0
		mem := &Builder{Test: Test{Name: "t"}}
		b := &Builder{Test: Test{Name: "t"}, Spool: true}
		b.spool.create = create
		feed(n, 50, mem, b)
		sameDocument(t, document(t, b), document(t, mem))
		if want := map[bool]int{false: 0, true: 1}[n > earlyMax]; made != want || (b.spool.f != nil) != (want == 1) {
			t.Errorf("%d intervals: %d files made, want %d", n, made, want)
		}
		if n > earlyMax && (b.spool.n+len(b.spool.pending) != n || len(b.spool.early) != 0) {
			t.Errorf("%d intervals: %d in the file, %d pending, %d early", n, b.spool.n, len(b.spool.pending), len(b.spool.early))
		}
		if err := b.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// BenchmarkHeapPerInterval reports the heap a Builder keeps after 1,000
// intervals of realistic size (6.2 KB a line, as in a run at 23,000
// req/s), in memory and spooled, and what each interval after the 100th
// adds: the final snapshot's histograms are a fixed cost, the slope is
// what grows with the test.
//
//	go test -run XXX -bench HeapPerInterval -benchtime 1x ./results
func BenchmarkHeapPerInterval(b *testing.B) {
	const n, warm = 1000, 100
	for _, spooled := range []bool{false, true} {
		name := map[bool]string{false: "memory", true: "spool"}[spooled]
		b.Run(name, func(b *testing.B) {
			for range b.N {
				atWarm, atN := heapKept(warm, spooled), heapKept(n, spooled)
				b.ReportMetric(float64(atN)/1024, "heap-KB")
				b.ReportMetric(float64(atN-atWarm)/(n-warm), "heap-B/interval")
			}
		})
	}
}

// heapKept is the heap a Builder holds after n seconds of 10,000 requests.
func heapKept(n int, spooled bool) int64 {
	bl := &Builder{Spool: spooled}
	defer bl.Close()
	before := heapInUse()
	feed(n, 10000, bl)
	kept := heapInUse() - before
	runtime.KeepAlive(bl)
	return kept
}

func heapInUse() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapInuse)
}
