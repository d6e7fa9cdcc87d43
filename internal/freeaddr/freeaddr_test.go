package freeaddr

import (
	"net"
	"testing"
)

func TestLoopbackIsFreeAndOnLoopback(t *testing.T) {
	addr := Loopback(t)
	host, _, err := net.SplitHostPort(addr)
	if err != nil || host != "127.0.0.1" {
		t.Fatalf("address %q (%v): want 127.0.0.1:port", addr, err)
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("the address is not free: %v", err)
	}
	l.Close()
}
