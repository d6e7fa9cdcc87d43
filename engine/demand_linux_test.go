package engine

import (
	"testing"
	"time"
)

// A goroutine that spins for 60 ms keeps a thread running or waiting in a
// run queue the whole time, so the process's demand grows by about that
// much whatever else the machine does.
func TestProcessDemandCountsASpinningThread(t *testing.T) {
	before := processDemand()
	if before <= 0 {
		t.Fatalf("processDemand() = %v, want the threads' time so far", before)
	}
	const spin = 60 * time.Millisecond
	for end := time.Now().Add(spin); time.Now().Before(end); {
	}
	grew := processDemand() - before
	if grew < spin*2/3 {
		t.Fatalf("demand grew by %v over a %v spin, want at least %v", grew, spin, spin*2/3)
	}
}
