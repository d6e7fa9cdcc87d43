package main

import (
	"bufio"
	"net"
	"net/url"
	"sync"
	"time"
)

// Mode arrivals is the floor of Artillery's model for any Go program: at
// -r arrivals a second, each arrival a goroutine that dials a connection
// of its own, sends one GET per URL on it in order (the bench's flow: the
// second URL is the one the first's capture would name) and closes it.
// Nothing is parsed but the status line and Content-Length, nothing is
// recorded but counts: what is left is the kernel's connect, accept and
// close, and the Go runtime's scheduling of a goroutine per arrival.

// runArrivals sends arrivals at rate until the deadline, waits for those
// in flight and returns the flows completed.
func runArrivals(urls []*url.URL, rate float64, deadline time.Time, n *counts) int64 {
	reqs := make([][]byte, len(urls))
	for i, u := range urls {
		reqs[i] = []byte("GET " + u.RequestURI() + " HTTP/1.1\r\nHost: " + u.Host + "\r\nUser-Agent: gobaseline\r\nX-Item: item-4711\r\n\r\n")
	}
	var wg sync.WaitGroup
	var flows counts
	every := time.Duration(float64(time.Second) / rate)
	tick := time.NewTicker(every)
	defer tick.Stop()
	for next := time.Now(); next.Before(deadline); next = next.Add(every) {
		<-tick.C
		wg.Add(1)
		go func() {
			defer wg.Done()
			if arrive(urls[0].Host, reqs, n) {
				flows.reqs.Add(1)
			}
		}()
	}
	wg.Wait()
	return flows.reqs.Load()
}

// arrive is one arrival: a new connection, the requests in order, close.
func arrive(host string, reqs [][]byte, n *counts) bool {
	c, err := net.DialTimeout("tcp", host, 10*time.Second)
	if err != nil {
		n.errs.Add(1)
		return false
	}
	defer c.Close()
	r := bufio.NewReaderSize(c, 4096)
	for _, req := range reqs {
		if _, err := c.Write(req); err != nil {
			n.errs.Add(1)
			return false
		}
		if err := readResponse(r); err != nil {
			n.errs.Add(1)
			return false
		}
		n.reqs.Add(1)
	}
	return true
}
