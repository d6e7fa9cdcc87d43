//go:build linux

package results

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

func writeAndClose(t *testing.T, path, data string) {
	t.Helper()
	f, err := CreateStream(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(data); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestCreateStreamTruncatesAFileAndFollowsALink: an old file is replaced
// by the new stream as "> path" would, and a link stays a link.
func TestCreateStreamTruncatesAFileAndFollowsALink(t *testing.T) {
	dir := t.TempDir()
	target, link := filepath.Join(dir, "target.jsonl"), filepath.Join(dir, "link.jsonl")
	if err := os.WriteFile(target, []byte("an old and longer stream\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("target.jsonl", link); err != nil {
		t.Fatal(err)
	}
	writeAndClose(t, link, "new\n")
	assertMode(t, link, fs.ModeSymlink)
	if b, _ := os.ReadFile(target); string(b) != "new\n" {
		t.Fatalf("target holds %q", b)
	}
}

// TestCreateStreamKeepsADeviceAndAFIFO: a device node is appended to,
// never replaced (as root, truncating or renaming over /dev/null would
// break the system), and a FIFO is written through.
func TestCreateStreamKeepsADeviceAndAFIFO(t *testing.T) {
	dir := t.TempDir()
	if os.Geteuid() == 0 {
		null := filepath.Join(dir, "null")
		if err := unix.Mknod(null, unix.S_IFCHR|0o666, int(unix.Mkdev(1, 3))); err != nil {
			t.Fatalf("mknod: %v", err)
		}
		writeAndClose(t, null, "into the void\n")
		assertMode(t, null, fs.ModeDevice|fs.ModeCharDevice)
	}
	fifo := filepath.Join(dir, "pipe")
	if err := unix.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	got := make(chan string, 1)
	go func() {
		f, err := os.Open(fifo)
		if err != nil {
			got <- err.Error()
			return
		}
		defer f.Close()
		b, _ := io.ReadAll(f)
		got <- string(b)
	}()
	writeAndClose(t, fifo, "through the pipe\n")
	assertMode(t, fifo, fs.ModeNamedPipe)
	if s := <-got; s != "through the pipe\n" {
		t.Fatalf("reader got %q", s)
	}
}

func TestCreateStreamRefusesADirectory(t *testing.T) {
	dir := t.TempDir()
	if _, err := CreateStream(dir); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Fatalf("error %v, want one saying it is a directory", err)
	}
}
