package freeaddr

import (
	"net"
	"testing"
)

// Loopback returns a 127.0.0.1 address whose port was free a moment ago.
func Loopback(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}
