package results

import (
	"os"
	"strings"
	"testing"
)

// TestReadFileRefusesDevicesAndDirectories: a results file named by
// mistake as /dev/zero was read forever into memory (surge report,
// compare, merge and plan ran out of it, and ignored Ctrl-C meanwhile);
// anything but a regular file or a pipe is refused before a byte is read.
func TestReadFileRefusesDevicesAndDirectories(t *testing.T) {
	paths := []string{t.TempDir()}
	if _, err := os.Stat("/dev/zero"); err == nil {
		paths = append(paths, "/dev/zero")
	}
	for _, path := range paths {
		_, err := ReadFile(path)
		if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "only regular files and pipes") {
			t.Errorf("%s: %v, want a refusal naming the path", path, err)
		}
	}
}
