// Command gobaseline is a reference point for the benchmark, not a load
// tool: the least a Go program can do for a closed loop of N keep-alive
// connections, so that Surge's numbers can be split into what net/http
// costs and what Surge's engine adds on top.
//
//	gobaseline -mode nethttp -c 64 -d 10s URL   net/http client, N goroutines
//	gobaseline -mode lean    -c 64 -d 10s URL   one goroutine per connection writing
//	                                            a prepared request and parsing the
//	                                            status line and Content-Length
//	gobaseline -mode open -r 50000 -c 64 -d 10s URL
//	                                            arrivals at a rate, served by N
//	                                            keep-alive connections (see open.go)
//	gobaseline -mode arrivals -r 200 -d 10s URL URL...
//	                                            a new connection per arrival, one
//	                                            GET per URL on it (see arrivals.go)
//
// It prints one JSON line: requests, errors, seconds (and flows: the
// arrivals completed, in mode arrivals).
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	mode := flag.String("mode", "lean", "nethttp, lean, open or arrivals")
	conns := flag.Int("c", 64, "connections (one goroutine each)")
	rate := flag.Float64("r", 200, "arrivals a second (modes open and arrivals)")
	dur := flag.Duration("d", 10*time.Second, "duration")
	flag.Parse()
	urls := parseURLs(*mode == "arrivals")
	var n counts
	deadline := time.Now().Add(*dur)
	start := time.Now()
	out := map[string]any{}
	switch *mode {
	case "arrivals":
		out["flows"] = runArrivals(urls, *rate, deadline, &n)
	case "open":
		runOpen(urls[0], *rate, *conns, *dur, &n)
	default:
		runWorkers(*conns, newWorker(*mode, urls[0], *conns, deadline, &n))
	}
	out["requests"], out["errors"], out["seconds"] = n.reqs.Load(), n.errs.Load(), time.Since(start).Seconds()
	json.NewEncoder(os.Stdout).Encode(out)
}

// counts is what every worker adds to.
type counts struct {
	reqs, errs atomic.Int64
}

// parseURLs reads the arguments, http:// URLs (one, or several when
// many is set), or exits with usage.
func parseURLs(many bool) []*url.URL {
	if flag.NArg() == 0 || (flag.NArg() > 1 && !many) {
		fmt.Fprintln(os.Stderr, "usage: gobaseline [-mode nethttp|lean] [-c N] [-d D] URL\n"+
			"       gobaseline -mode open [-r RATE] [-c N] [-d D] URL\n"+
			"       gobaseline -mode arrivals [-r RATE] [-d D] URL...")
		os.Exit(2)
	}
	var urls []*url.URL
	for _, arg := range flag.Args() {
		u, err := url.Parse(arg)
		if err != nil || u.Scheme != "http" {
			fmt.Fprintln(os.Stderr, "gobaseline: want http:// URLs")
			os.Exit(2)
		}
		urls = append(urls, u)
	}
	return urls
}

// newWorker returns the loop one goroutine runs until the deadline, for
// mode; an unknown mode exits with usage.
func newWorker(mode string, u *url.URL, conns int, deadline time.Time, n *counts) func() {
	switch mode {
	case "nethttp":
		return netHTTPWorker(u, conns, deadline, n)
	case "lean":
		return leanWorker(u, deadline, n)
	}
	fmt.Fprintln(os.Stderr, "gobaseline: -mode must be nethttp or lean")
	os.Exit(2)
	return nil
}

// netHTTPWorker drives a net/http client whose pool holds one keep-alive
// connection per goroutine.
func netHTTPWorker(u *url.URL, conns int, deadline time.Time, n *counts) func() {
	tr := &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns, DisableCompression: true}
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	return func() {
		for time.Now().Before(deadline) {
			resp, err := client.Get(u.String())
			if err != nil {
				n.errs.Add(1)
				continue
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				n.errs.Add(1)
			}
			n.reqs.Add(1)
		}
	}
}

// leanWorker writes one prepared request per round trip, redialling when
// a connection fails.
func leanWorker(u *url.URL, deadline time.Time, n *counts) func() {
	path := u.RequestURI()
	req := []byte("GET " + path + " HTTP/1.1\r\nHost: " + u.Host + "\r\nUser-Agent: gobaseline\r\n\r\n")
	return func() {
		for time.Now().Before(deadline) {
			k, err := leanConn(u.Host, req, deadline)
			n.reqs.Add(k)
			if err != nil {
				n.errs.Add(1)
			}
		}
	}
}

// runWorkers runs worker in conns goroutines and waits for all of them.
func runWorkers(conns int, worker func()) {
	var wg sync.WaitGroup
	for range conns {
		wg.Add(1)
		go func() { defer wg.Done(); worker() }()
	}
	wg.Wait()
}

// leanConn sends req over one keep-alive connection until the deadline
// and returns how many responses it read.
func leanConn(host string, req []byte, deadline time.Time) (int64, error) {
	c, err := net.DialTimeout("tcp", host, 10*time.Second)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	r := bufio.NewReaderSize(c, 4096)
	var n int64
	for time.Now().Before(deadline) {
		if _, err := c.Write(req); err != nil {
			return n, err
		}
		if err := readResponse(r); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

var errMalformed = errors.New("malformed response")

// readResponse reads one response with a Content-Length body.
func readResponse(r *bufio.Reader) error {
	line, err := r.ReadSlice('\n')
	if err != nil {
		return err
	}
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) || line[9] != '2' {
		return errMalformed
	}
	length := int64(-1)
	for {
		line, err := r.ReadSlice('\n')
		if err != nil {
			return err
		}
		if len(line) <= 2 {
			break
		}
		if k, v, ok := bytes.Cut(line, []byte(":")); ok && len(k) == 14 && bytes.EqualFold(k, []byte("Content-Length")) {
			length, err = strconv.ParseInt(string(bytes.TrimSpace(v)), 10, 64)
			if err != nil {
				return errMalformed
			}
		}
	}
	if length < 0 {
		return errMalformed
	}
	_, err = r.Discard(int(length))
	return err
}
