package payload

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
)

func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestTableCostsAboutItsFile: a table keeps the file and a small index,
// not a value per cell. Before, a CSV of short cells took about five times
// its size on top of the file (a 1 GB payload peaked at 5.8 GB; the run
// in the commit message measured 10.3 GB before and 1.27 GB after).
func TestTableCostsAboutItsFile(t *testing.T) {
	var b strings.Builder
	b.WriteString("user,pass,n\n")
	for i := 0; b.Len() < 2<<20; i++ {
		fmt.Fprintf(&b, "user%08d,pass%08d,%d\n", i, i*7, i%1000)
	}
	data := []byte(b.String())
	before := heapInUse()
	tab, err := Parse(data, "big.csv", Options{Fields: []string{"u", "p", "n"}, SkipHeader: true, Order: OrderSequence})
	if err != nil {
		t.Fatal(err)
	}
	grown := heapInUse() - min(before, heapInUse())
	if limit := uint64(len(data) / 8); grown > limit {
		t.Fatalf("a %d-byte payload grew the heap by %d bytes beyond the file, want at most %d", len(data), grown, limit)
	}
	row := tab.Row(tab.Len() - 1)
	if row[0] != fmt.Sprintf("user%08d", tab.Len()-1) || row[2] != float64((tab.Len()-1)%1000) {
		t.Fatalf("last row %v", row)
	}
	runtime.KeepAlive(tab)
}

// TestLoadAllAndDevicesAreBounded: loadAll builds every row as values,
// so its file is bounded; a device is never read.
func TestLoadAllAndDevicesAreBounded(t *testing.T) {
	big := strings.Repeat("x\n", MaxLoadAllBytes/2+1)
	_, err := Parse([]byte(big), "all.csv", Options{LoadAll: true, Name: "rows"})
	if err == nil || !strings.Contains(err.Error(), "more than 64 MiB") {
		t.Fatalf("loadAll of %d bytes: %v", len(big), err)
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		if _, err := Load("/dev/zero", Options{}); err == nil || !strings.Contains(err.Error(), "character device") {
			t.Fatalf("/dev/zero: %v", err)
		}
	}
}
