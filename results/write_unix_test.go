//go:build linux

package results

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// TestWriteAtomicWritesIntoAFIFO: a named pipe is written through, as
// "> fifo" would, not replaced by a regular file.
func TestWriteAtomicWritesIntoAFIFO(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "pipe")
	if err := unix.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	got := make(chan string, 1)
	go func() {
		f, err := os.Open(fifo) // waits for the writer
		if err != nil {
			got <- err.Error()
			return
		}
		defer f.Close()
		b, _ := io.ReadAll(f)
		got <- string(b)
	}()
	if err := WriteAtomic(fifo, []byte("through the pipe")); err != nil {
		t.Fatal(err)
	}
	assertMode(t, fifo, fs.ModeNamedPipe)
	if s := <-got; s != "through the pipe" {
		t.Fatalf("reader got %q", s)
	}
	if err := CheckWritable(fifo); err != nil {
		t.Fatalf("CheckWritable on a FIFO: %v", err)
	}
}

// TestWriteAtomicKeepsADeviceNode makes a device node like /dev/null (only
// root may) and checks that writing to it leaves it a device: before the
// fix, "-o /dev/null" as root replaced the system's /dev/null with a
// regular file.
func TestWriteAtomicKeepsADeviceNode(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("creating a device node needs root")
	}
	null := filepath.Join(t.TempDir(), "null")
	if err := unix.Mknod(null, unix.S_IFCHR|0o666, int(unix.Mkdev(1, 3))); err != nil {
		t.Skipf("mknod: %v", err)
	}
	if err := CheckWritable(null); err != nil {
		t.Fatalf("CheckWritable: %v", err)
	}
	if err := WriteAtomic(null, []byte("discarded")); err != nil {
		t.Fatal(err)
	}
	assertMode(t, null, fs.ModeDevice|fs.ModeCharDevice)
	if b, err := os.ReadFile(null); err != nil || len(b) != 0 {
		t.Fatalf("reading the null device gave %q, %v: it was replaced", b, err)
	}
}

// TestCheckWritableRejectsASocket: neither a file nor a device.
func TestCheckWritableRejectsASocket(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "s")
	fd, err := unix.Socket(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	if err != nil {
		t.Skip(err)
	}
	defer unix.Close(fd)
	if err := unix.Bind(fd, &unix.SockaddrUnix{Name: sock}); err != nil {
		t.Skip(err)
	}
	for _, err := range []error{CheckWritable(sock), WriteAtomic(sock, []byte("x"))} {
		if err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Fatalf("got %v, want a refusal", err)
		}
	}
	assertMode(t, sock, fs.ModeSocket)
}

func assertMode(t *testing.T, path string, want fs.FileMode) {
	t.Helper()
	info, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Type() != want {
		t.Fatalf("%s is now %v, want %v", path, info.Mode().Type(), want)
	}
}

// TestWriteAtomicThroughDevFd: /dev/fd/N (like /dev/stdout) links to
// "pipe:[…]" or to a file a shell opened; it is written through, appended
// to, never replaced. Before, the check failed ("cannot create files in
// /proc/self/fd") and the write would have replaced the shell's file.
func TestWriteAtomicThroughDevFd(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	path := fmt.Sprintf("/dev/fd/%d", w.Fd())
	if _, err := os.Stat(path); err != nil {
		t.Skip(err)
	}
	if err := CheckWritable(path); err != nil {
		t.Fatal(err)
	}
	if err := WriteAtomic(path, []byte("to the pipe")); err != nil {
		t.Fatal(err)
	}
	w.Close()
	if b, _ := io.ReadAll(r); string(b) != "to the pipe" {
		t.Fatalf("read %q", b)
	}

	out := filepath.Join(t.TempDir(), "stdout.txt")
	f, _ := os.Create(out)
	defer f.Close()
	f.WriteString("summary\n")
	if err := WriteAtomic(fmt.Sprintf("/dev/fd/%d", f.Fd()), []byte("results\n")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(out); string(b) != "summary\nresults\n" {
		t.Fatalf("the shell's file holds %q, want the results appended", b)
	}
}

// A device's own error names the path once: "write /dev/full: write
// /dev/full: no space left on device" said it twice.
func TestWriteToAFullDeviceNamesItOnce(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full here")
	}
	err := WriteAtomic("/dev/full", []byte("{}"))
	if err == nil || strings.Count(err.Error(), "/dev/full") != 1 || !strings.Contains(err.Error(), "no space left on device") {
		t.Fatalf("error %v; want /dev/full named once, and why", err)
	}
}

// TestCheckWritableRefusesKernelFiles: a procfs or sysfs file passed the
// check (root may open it for writing) and the write failed after the
// test. A /proc/self/fd link to an ordinary file the shell opened is
// still written through.
func TestCheckWritableRefusesKernelFiles(t *testing.T) {
	for _, path := range []string{"/proc/self/status", "/proc/version"} {
		// Others than root are refused by access(2) already.
		err := CheckWritable(path)
		if err == nil || os.Geteuid() == 0 && !strings.Contains(err.Error(), "procfs or sysfs") {
			t.Errorf("%s: got %v, want a refusal", path, err)
		}
	}
	f, err := os.Create(filepath.Join(t.TempDir(), "out.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := CheckWritable(fmt.Sprintf("/proc/self/fd/%d", f.Fd())); err != nil {
		t.Fatalf("a descriptor's link to a file: %v", err)
	}
}

// TestInputAtNamesTheInputAnOutputWouldReplace: an output naming an
// input, by name or through a link, is found; standard input, "" and a
// character device never are.
func TestInputAtNamesTheInputAnOutputWouldReplace(t *testing.T) {
	dir := t.TempDir()
	run := filepath.Join(dir, "run.json")
	if err := os.WriteFile(run, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.html")
	if err := os.Symlink("run.json", link); err != nil {
		t.Fatal(err)
	}
	inputs := []string{"", "-", "/dev/null", run}
	for out, want := range map[string]string{run: run, link: run, filepath.Join(dir, "new.html"): "",
		"/dev/null": "", "-": "", "": ""} {
		if got := InputAt(out, inputs); got != want {
			t.Errorf("InputAt(%q) = %q, want %q", out, got, want)
		}
	}
}
