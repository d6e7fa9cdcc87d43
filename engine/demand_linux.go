package engine

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// processDemand is the time the process's threads ran on a CPU or waited
// in a run queue for one (the first two fields of each thread's
// schedstat), -1 when the kernel does not say. Unlike the CPU time, it
// shows a generator that wants its cores while other processes hold
// them.
func processDemand() time.Duration {
	paths, err := filepath.Glob("/proc/self/task/*/schedstat")
	if err != nil || len(paths) == 0 {
		return -1
	}
	var sum int64
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			continue // the thread exited meanwhile
		}
		f := bytes.Fields(b)
		if len(f) < 2 {
			return -1
		}
		run, err1 := strconv.ParseInt(string(f[0]), 10, 64)
		wait, err2 := strconv.ParseInt(string(f[1]), 10, 64)
		if err1 != nil || err2 != nil {
			return -1
		}
		sum += run + wait
	}
	return time.Duration(sum)
}
