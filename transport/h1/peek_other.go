//go:build !linux

package h1

// peekIdle cannot look without blocking here: idle connections are taken
// as they are, and a close is met by the next request (see retry.go).
func (c *conn) peekIdle(uintptr) { c.idleState = idleQuiet }

// watchable: nothing here looks at a socket without reading it, so no
// request is watched for an early response (early.go).
const watchable = false

func peekReadable(uintptr) bool { return true }
