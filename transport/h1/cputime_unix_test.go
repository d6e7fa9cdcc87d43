//go:build unix

package h1

import (
	"syscall"
	"testing"
	"time"
)

// reportCPU reports the process's CPU time (user and system) per
// operation, the client's and the in-process server's together: on a
// shared machine it varies far less than the wall time per operation.
func reportCPU(b *testing.B) func() {
	before := cpuTime()
	return func() {
		b.ReportMetric(float64((cpuTime()-before).Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
