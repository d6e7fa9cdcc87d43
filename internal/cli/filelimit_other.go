//go:build !unix

package cli

// openFileLimit is unknown here: connections are not checked ahead.
func openFileLimit() (soft, hard uint64, ok bool) { return 0, 0, false }
