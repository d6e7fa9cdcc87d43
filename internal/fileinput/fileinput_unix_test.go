//go:build unix

package fileinput

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// TestReadPipeIsBounded: a FIFO is read as a stream, up to the limit.
func TestReadPipeIsBounded(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "p")
	if err := unix.Mkfifo(fifo, 0o600); err != nil {
		t.Skip(err)
	}
	go func() {
		f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		defer f.Close()
		f.Write([]byte(strings.Repeat("y", 100)))
	}()
	_, err := Read(fifo, 10, Streams)
	if err == nil || !strings.Contains(err.Error(), "larger than 10 bytes") {
		t.Fatalf("got %v", err)
	}
	if _, err := Read(fifo, 10, Regular); err == nil || !strings.Contains(err.Error(), "a pipe; only regular files") {
		t.Fatalf("a pipe where only regular files are accepted: %v", err)
	}
}
