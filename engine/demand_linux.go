package engine

import (
	"bytes"
	"os"
	"strconv"
	"time"
)

// processDemand is the time the process's threads ran on a CPU or waited
// in a run queue for one (the first two fields of each thread's
// schedstat), -1 when the kernel does not say. Unlike the CPU time, it
// shows a generator that wants its cores while other processes hold
// them.
func processDemand() time.Duration {
	tasks, err := threadIDs()
	if err != nil || len(tasks) == 0 {
		return -1
	}
	var sum int64
	for _, id := range tasks {
		b, err := os.ReadFile("/proc/self/task/" + id + "/schedstat")
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

// threadIDs lists the process's threads. A glob of their schedstat files
// would also open and list each thread's directory to match the name.
func threadIDs() ([]string, error) {
	dir, err := os.Open("/proc/self/task")
	if err != nil {
		return nil, err
	}
	defer dir.Close()
	return dir.Readdirnames(-1)
}
