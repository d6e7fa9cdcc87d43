//go:build linux

package engine

import (
	"os"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// sleeper waits for short spans at the kernel timer's resolution. Go's
// timers wake through the network poller, which counts its wait in whole
// milliseconds: a 100 µs sleep lasts about 1.1 ms on an idle core, which
// would bunch an open model's arrivals into millisecond bursts. A timerfd
// wakes the same poller on time.
//
// A sleep arms the timer and waits for the poller to report it, without
// reading it: the kernel signals every expiry to the poller (which
// watches edges), and arming the timer again resets its count. A read
// would cost two system calls a sleep (one that finds nothing before the
// wait, one after), and at 20,000 arrivals a second the pacer's system
// calls were as many as the requests'.
type sleeper struct {
	f  *os.File
	rc syscall.RawConn
	fd int
}

// newSleeper returns nil where no timerfd can be made; nil sleeps with
// Go's timers.
func newSleeper() *sleeper {
	fd, err := unix.TimerfdCreate(unix.CLOCK_MONOTONIC, unix.TFD_NONBLOCK|unix.TFD_CLOEXEC)
	if err != nil {
		return nil
	}
	// A non-blocking descriptor is put in Go's poller, so that a wait
	// parks the goroutine rather than its thread.
	f := os.NewFile(uintptr(fd), "timerfd")
	rc, err := f.SyscallConn()
	if err != nil {
		f.Close()
		return nil
	}
	return &sleeper{f: f, rc: rc, fd: fd}
}

// sleep waits for at least d.
func (s *sleeper) sleep(d time.Duration) {
	if s == nil || d <= 0 {
		time.Sleep(d)
		return
	}
	// The kernel's expiry is d after a reading of the same clock taken
	// later than this one: woken by it, time.Now is past deadline. A wake
	// that comes early (the report of an expiry older than this sleep)
	// waits again.
	deadline := time.Now().Add(d)
	spec := unix.ItimerSpec{Value: unix.NsecToTimespec(int64(d))}
	if err := unix.TimerfdSettime(s.fd, 0, &spec, nil); err != nil {
		time.Sleep(d)
		return
	}
	err := s.rc.Read(func(uintptr) bool { return !time.Now().Before(deadline) })
	if err != nil {
		time.Sleep(time.Until(deadline))
	}
}

func (s *sleeper) close() {
	if s != nil {
		s.f.Close()
	}
}
