package results

import (
	"os"
	"strconv"
	"syscall"
	"testing"

	"github.com/surge-dev/surge/metrics"
)

// TestSpoolWriteFailsMidway makes the spool's file refuse writes once
// some intervals are in it, as a full disk would: the intervals written
// stay in the file, those buffered and those after go to memory, and none
// is lost.
func TestSpoolWriteFailsMidway(t *testing.T) {
	const n, failAt = 60, 25
	mem := &Builder{Test: Test{Name: "t"}}
	b := &Builder{Test: Test{Name: "t"}, Spool: true}
	defer b.Close()
	b.spool.bufSize = 16 << 10 // about 11 lines: flushed before failAt, and after
	stream(n, 200, func(i int, s metrics.Snapshot) {
		if i == failAt {
			readOnlyUnder(t, b.spool.f)
		}
		mem.AddWithMonitor(s, monitor(i))
		b.AddWithMonitor(s, monitor(i))
	})
	sameDocument(t, document(t, b), document(t, mem))
	if !b.spool.broken || b.spool.n == 0 || b.spool.n >= failAt || b.spool.n+len(b.spool.mem) != n {
		t.Fatalf("broken %v, %d intervals in the file, %d in memory", b.spool.broken, b.spool.n, len(b.spool.mem))
	}
}

// readOnlyUnder puts a read-only descriptor of f's file (unlinked, so
// reopened through /proc) in place of f's own: reads still work, writes
// fail.
func readOnlyUnder(t *testing.T, f *os.File) {
	t.Helper()
	ro, err := os.Open("/proc/self/fd/" + strconv.Itoa(int(f.Fd())))
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if err := syscall.Dup3(int(ro.Fd()), int(f.Fd()), syscall.O_CLOEXEC); err != nil {
		t.Fatal(err)
	}
}
