//go:build !linux

package h1

// peekIdle cannot look without blocking here: idle connections are taken
// as they are, and a close is met by the next request (see retry.go).
func (c *conn) peekIdle(uintptr) { c.idleState = idleQuiet }
