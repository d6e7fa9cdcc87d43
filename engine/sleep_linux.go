//go:build linux

package engine

import (
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// sleeper waits for short spans at the kernel timer's resolution. Go's
// timers wake through the network poller, which counts its wait in whole
// milliseconds: a 100 µs sleep lasts about 1.1 ms on an idle core, which
// would bunch an open model's arrivals into millisecond bursts. A timerfd
// wakes the same poller on time.
type sleeper struct {
	f  *os.File
	fd int
}

// newSleeper returns nil where no timerfd can be made; nil sleeps with
// Go's timers.
func newSleeper() *sleeper {
	fd, err := unix.TimerfdCreate(unix.CLOCK_MONOTONIC, unix.TFD_NONBLOCK|unix.TFD_CLOEXEC)
	if err != nil {
		return nil
	}
	// A non-blocking descriptor is put in Go's poller, so that Read parks
	// the goroutine rather than its thread.
	return &sleeper{f: os.NewFile(uintptr(fd), "timerfd"), fd: fd}
}

// sleep waits for at least d.
func (s *sleeper) sleep(d time.Duration) {
	if s == nil || d <= 0 {
		time.Sleep(d)
		return
	}
	spec := unix.ItimerSpec{Value: unix.NsecToTimespec(int64(d))}
	if err := unix.TimerfdSettime(s.fd, 0, &spec, nil); err != nil {
		time.Sleep(d)
		return
	}
	var expirations [8]byte
	if _, err := s.f.Read(expirations[:]); err != nil {
		time.Sleep(d)
	}
}

func (s *sleeper) close() {
	if s != nil {
		s.f.Close()
	}
}
