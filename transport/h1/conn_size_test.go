package h1

import (
	"testing"
	"unsafe"
)

// A connection is allocated in Go's 512-byte size class: the next is 576,
// and ten thousand idle users hold one each.
func TestConnFitsItsSizeClass(t *testing.T) {
	if size := unsafe.Sizeof(conn{}); size > 512 {
		t.Fatalf("conn is %d bytes: past the 512-byte size class (see the order of its fields)", size)
	}
}
