//go:build !unix

package h1

import "testing"

// reportCPU reports nothing here: the process's CPU time comes from
// getrusage, which only Unix systems have.
func reportCPU(*testing.B) func() { return func() {} }
