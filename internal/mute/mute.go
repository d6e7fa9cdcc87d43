package mute

import (
	"net"
	"sync"
	"testing"
)

// Listen starts the listener; the test's cleanup closes it and every
// connection it accepted. accepted is closed at the first connection.
func Listen(t testing.TB) (addr string, accepted <-chan struct{}) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	first := make(chan struct{})
	var once sync.Once
	var mu sync.Mutex
	var held []net.Conn
	go func() {
		for c, err := l.Accept(); err == nil; c, err = l.Accept() {
			once.Do(func() { close(first) })
			mu.Lock()
			held = append(held, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range held {
			c.Close()
		}
	})
	return l.Addr().String(), first
}
