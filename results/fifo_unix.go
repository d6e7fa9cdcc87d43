//go:build unix

package results

import (
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"
)

// fifoPoll is how often a FIFO without a reader is tried again: a reader
// that comes is taken within it, and the process stays idle meanwhile.
const fifoPoll = 50 * time.Millisecond

// openFIFO opens a FIFO for writing without blocking in open(2), which
// nothing could interrupt: a non-blocking open fails (ENXIO) until a
// reader has it open, so it is tried again until then or until ctx ends.
// The file keeps O_NONBLOCK, which Go's poller handles: a write to a full
// pipe waits for room without holding a thread.
func openFIFO(ctx context.Context, path string, flag int, waiting func()) (*os.File, error) {
	for said := false; ; said = true {
		f, err := os.OpenFile(path, flag|syscall.O_NONBLOCK, 0)
		if !errors.Is(err, syscall.ENXIO) {
			return f, err
		}
		if !said && waiting != nil {
			waiting()
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("stopped while waiting for a reader: %w", context.Cause(ctx))
		case <-time.After(fifoPoll):
		}
	}
}
