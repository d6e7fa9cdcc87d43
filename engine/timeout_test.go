//go:build linux

package engine

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"syscall"
	"testing"
	"time"

	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/schedule"
	"github.com/surge-dev/surge/transport"
)

// hangingAddr returns a loopback address whose dials hang: its accept
// queue (of one) is full, so the kernel drops further SYNs.
func hangingAddr(t *testing.T) string {
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
	// Linux drops the SYN (unless net.ipv4.tcp_abort_on_overflow is set):
	// a dial must not get through, nor be refused.
	probe, err := net.DialTimeout("tcp", addr, 100*time.Millisecond)
	if err == nil {
		probe.Close()
	}
	if ne, ok := err.(net.Error); !ok || !ne.Timeout() {
		t.Skipf("dials to a full accept queue do not hang here (%v)", err)
	}
	return addr
}

// TestTimeoutBoundsDial sends requests to a server that never accepts,
// with a dial timeout far longer than the request timeout, on both paths:
// each must end at the request timeout, counted as ETIMEDOUT.
func TestTimeoutBoundsDial(t *testing.T) {
	const requests = 3
	u, _ := url.Parse("http://" + hangingAddr(t) + "/")
	p := Prepare("GET", u, http.Header{}, nil)
	for _, lean := range []bool{true, false} {
		start := time.Now()
		res, err := Run(context.Background(), Test{
			Phases:  []schedule.Phase{{Kind: schedule.Constant, ArrivalRate: requests, Duration: time.Second}},
			Timeout: 200 * time.Millisecond,
			HTTP:    transport.Config{DialTimeout: time.Minute},
			Scenarios: []Scenario{{Name: "hang", Run: func(_ context.Context, vu *VU) error {
				if lean {
					return vu.Send(0, p)
				}
				_, err := vu.Do(0, p.request(), false)
				return err
			}}},
			Conns: Shared,
		})
		if err != nil {
			t.Fatal(err)
		}
		f := res.Final.Total
		// Loose on purpose: only a dial left to its own timeout takes
		// longer than half a minute.
		if f.Errors != requests || f.Kinds[metrics.ErrTimeout.String()] != requests || time.Since(start) > 30*time.Second {
			t.Errorf("lean %v: errors %d %v after %v; want %d ETIMEDOUT at the request timeout",
				lean, f.Errors, f.Kinds, time.Since(start), requests)
		}
	}
}
