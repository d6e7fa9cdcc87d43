//go:build !linux

package engine

import "time"

// sleeper is Go's timer where there is no timerfd (see sleep_linux.go).
type sleeper struct{}

func newSleeper() *sleeper { return nil }

func (s *sleeper) sleep(d time.Duration) { time.Sleep(d) }

func (s *sleeper) close() {}
