package surgeexe

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/surge-dev/surge/internal/cli"
)

// asCLI is the environment variable that makes the test binary act as
// surge.
const asCLI = "SURGE_TEST_BINARY_AS_CLI"

// Main is a TestMain: surge's command line when the test binary was
// started as surge, the package's tests otherwise.
func Main(m *testing.M) {
	if os.Getenv(asCLI) == "1" {
		os.Exit(cli.Main(os.Args[1:], cli.IO{Stdout: os.Stdout, Stderr: os.Stderr}))
	}
	os.Exit(m.Run())
}

// Install writes a program named surge into a new directory that runs the
// test binary as surge, and returns the directory, to be put first in
// PATH. The package's TestMain must call Main.
func Install(t testing.TB) string {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	script := fmt.Sprintf("#!/bin/sh\n%s=1 exec %s \"$@\"\n", asCLI, shellQuote(self))
	if err := os.WriteFile(filepath.Join(dir, "surge"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// PathWith is the environment with dir first in PATH.
func PathWith(dir string) []string {
	return append(os.Environ(), "PATH="+dir+string(os.PathListSeparator)+os.Getenv("PATH"))
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// listening is the line a target prints once it accepts connections.
var listening = regexp.MustCompile(`listening on (http://127\.0\.0\.1:\d+)`)

// Start runs surge with args in the background (a target: its --addr
// should be 127.0.0.1:0), waits until it prints the address it listens
// on, and returns that URL. Its output goes to the test's log; the
// test's cleanup stops it with SIGTERM and waits for it.
func Start(t testing.TB, args ...string) string {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(self, args...)
	cmd.Env = append(os.Environ(), asCLI+"=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	found, done := follow(t, out)
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		<-done // the output read to its end, as Wait requires
		_ = cmd.Wait()
	})
	url, err := awaitURL(found, 30*time.Second)
	if err != nil {
		t.Fatalf("surge %s: %v", strings.Join(args, " "), err)
	}
	return url
}

// follow passes the output on to the test's log, line by line, and
// sends the first address the target says it listens on. done closes
// at the end of the output.
func follow(t testing.TB, out io.Reader) (found <-chan string, done <-chan struct{}) {
	urls, end := make(chan string, 1), make(chan struct{})
	go func() {
		defer close(end)
		defer close(urls)
		sc := bufio.NewScanner(out)
		sent := false
		for sc.Scan() {
			t.Log(sc.Text())
			if m := listening.FindStringSubmatch(sc.Text()); m != nil && !sent {
				urls <- m[1]
				sent = true
			}
		}
	}()
	return urls, end
}

// awaitURL waits for the address.
func awaitURL(found <-chan string, limit time.Duration) (string, error) {
	select {
	case url, ok := <-found:
		if !ok {
			return "", fmt.Errorf("exited before listening")
		}
		return url, nil
	case <-time.After(limit):
		return "", fmt.Errorf("not listening after %v", limit)
	}
}

// SkipUnderRace skips a test that times a service through surge when the
// test binary (and so the surge it runs) has the race detector: make
// unit runs such tests again without it.
func SkipUnderRace(t testing.TB) {
	t.Helper()
	if RaceDetector {
		t.Skip("times a service through surge, which the race detector slows several times over; make unit runs it without -race")
	}
}
