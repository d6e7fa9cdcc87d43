//go:build !unix

package results

import (
	"context"
	"os"
)

// openFIFO opens a FIFO as any file: only Unix systems have them.
func openFIFO(_ context.Context, path string, flag int, _ func()) (*os.File, error) {
	return os.OpenFile(path, flag, 0)
}
