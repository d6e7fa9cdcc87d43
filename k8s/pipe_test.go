//go:build linux

package k8s

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// A script read from a pipe (surge k8s <(…)) is shipped as it was
// parsed: it was read a second time to be embedded, found empty, and the
// pods were given an empty script.
func TestScriptFromAPipeIsShippedWhole(t *testing.T) {
	const script = "config:\n  target: http://127.0.0.1:9\n  phases:\n    - duration: 10\n      arrivalRate: 1\n" +
		"scenarios:\n  - flow:\n      - get: {url: /}\n"
	fifo := filepath.Join(t.TempDir(), "load.yml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	go func() {
		if f, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil {
			f.WriteString(script)
			f.Close()
		}
	}()
	type built struct {
		m   *Manifests
		err error
	}
	done := make(chan built, 1)
	go func() {
		m, err := FromScript(fifo, testOptions())
		done <- built{m, err}
	}()
	var b built
	select {
	case b = <-done:
	case <-time.After(time.Minute): // a second read waits for a writer that never comes
		t.Fatal("FromScript read the pipe again and waits for a writer")
	}
	if b.err != nil {
		t.Fatal(b.err)
	}
	if got := b.m.ConfigMap.Data["load.yml"]; got != script {
		t.Fatalf("the ConfigMap ships %q, want the script as read", got)
	}
}
