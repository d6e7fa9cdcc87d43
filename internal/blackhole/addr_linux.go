//go:build linux

package blackhole

import (
	"fmt"
	"net"
	"syscall"
	"testing"
	"time"
)

// Addr returns a 127.0.0.1 address whose dials hang: its listener has an
// accept queue of one, filled by a connection never accepted, so that the
// kernel drops every further SYN and a client retries for seconds. The
// test is skipped where the kernel refuses instead
// (net.ipv4.tcp_abort_on_overflow).
func Addr(t testing.TB) string {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Listen(fd, 0); err != nil {
		t.Fatal(err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	addr := fmt.Sprintf("127.0.0.1:%d", sa.(*syscall.SockaddrInet4).Port)
	filler, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { filler.Close() })
	probe, err := net.DialTimeout("tcp", addr, 100*time.Millisecond)
	if err == nil {
		probe.Close()
	}
	if ne, ok := err.(net.Error); !ok || !ne.Timeout() {
		t.Skipf("dials to a full accept queue do not hang here (%v)", err)
	}
	return addr
}
