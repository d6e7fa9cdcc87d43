package main

import (
	"bufio"
	"math"
	"net"
	"net/url"
	"sync"
	"time"
)

// Mode open is the floor of the open model for any Go program: arrivals
// at -r a second, the k-th due k/rate after the start, handed through a
// queue to -c goroutines that each hold one keep-alive connection and
// write a prepared GET, read the status line and the body, and take the
// next. The pacer sleeps on Go's timers and never sends early; a late
// arrival is sent at once. Nothing is recorded but counts, so what is
// left is the kernel's write and read and the Go runtime's timers and
// scheduling: what a plain Go generator spends to hold a rate, and how
// punctual Go's own timers keep it.

// runOpen sends rate × dur arrivals over conns connections and waits
// until they are answered.
func runOpen(u *url.URL, rate float64, conns int, dur time.Duration, n *counts) {
	req := []byte("GET " + u.RequestURI() + " HTTP/1.1\r\nHost: " + u.Host + "\r\nUser-Agent: gobaseline\r\n\r\n")
	due := make(chan struct{}, 1<<16)
	var wg sync.WaitGroup
	for range conns {
		wg.Add(1)
		go func() { defer wg.Done(); openWorker(u.Host, req, due, n) }()
	}
	start := time.Now()
	total := int64(math.Round(rate * dur.Seconds()))
	for k := range total {
		at := start.Add(time.Duration(float64(k) / rate * float64(time.Second)))
		if wait := time.Until(at); wait > 0 {
			time.Sleep(wait)
		}
		due <- struct{}{}
	}
	close(due)
	wg.Wait()
}

// openWorker serves arrivals from due on one connection, redialling when
// it fails.
func openWorker(host string, req []byte, due <-chan struct{}, n *counts) {
	var c net.Conn
	var r *bufio.Reader
	for range due {
		if c == nil {
			var err error
			if c, err = net.DialTimeout("tcp", host, 10*time.Second); err != nil {
				n.errs.Add(1)
				c = nil
				continue
			}
			r = bufio.NewReaderSize(c, 4096)
		}
		if _, err := c.Write(req); err != nil {
			n.errs.Add(1)
			c.Close()
			c = nil
			continue
		}
		if err := readResponse(r); err != nil {
			n.errs.Add(1)
			c.Close()
			c = nil
			continue
		}
		n.reqs.Add(1)
	}
	if c != nil {
		c.Close()
	}
}
