package fileinput

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadRegularFileWithinAndBeyondTheLimit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	os.WriteFile(path, []byte("12345"), 0o644)
	if b, err := Read(path, 5, Regular); err != nil || string(b) != "12345" {
		t.Fatalf("at the limit: %q %v", b, err)
	}
	_, err := Read(path, 4, Regular)
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "4 bytes") {
		t.Fatalf("beyond the limit: %v", err)
	}
}

// TestReadRefusesDevicesAtOnce: /dev/zero would never end; it is refused
// from its type, before a byte is read.
func TestReadRefusesDevicesAtOnce(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero here")
	}
	for _, kinds := range []int{Regular, Streams} {
		_, err := Read("/dev/zero", 1<<40, kinds)
		if err == nil || !strings.Contains(err.Error(), "character device") {
			t.Fatalf("got %v", err)
		}
	}
	_, err := Read(t.TempDir(), 10, Streams)
	if err == nil || !strings.Contains(err.Error(), "a directory; only regular files and pipes") {
		t.Fatalf("directory: %v", err)
	}
}

func TestReadAllStopsAtTheLimit(t *testing.T) {
	_, err := ReadAll(strings.NewReader(strings.Repeat("x", 2048)), "standard input", 1024)
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "standard input is larger than 1 KiB") {
		t.Fatalf("got %v", err)
	}
	if b, err := ReadAll(strings.NewReader("ok"), "stdin", 2); err != nil || string(b) != "ok" {
		t.Fatalf("%q %v", b, err)
	}
}

func TestSize(t *testing.T) {
	for n, want := range map[int64]string{100: "100 bytes", 64 << 20: "64 MiB", 1536: "1536 bytes", 4 << 30: "4 GiB"} {
		if got := Size(n); got != want {
			t.Errorf("Size(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestReadWithoutAName: --body @ names no file, and the message said
// only "stat : no such file or directory".
func TestReadWithoutAName(t *testing.T) {
	if _, err := Read("", 1<<20, Streams); err == nil || err.Error() != "no file name given" {
		t.Fatalf("Read(\"\"): %v", err)
	}
}
