package main

import (
	"bufio"
	"fmt"
	"net"
	"os/exec"
	"strings"
	"time"
)

// firstLine is a listener of the runner's own that answers every request
// with a tiny 200 and notes when each connection's first request line
// arrives, for the start-up to the first request (scenario t).
type firstLine struct {
	ln   net.Listener
	seen chan time.Time
}

func listenFirstLine() (*firstLine, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	f := &firstLine{ln: ln, seen: make(chan time.Time, 64)}
	go f.accept()
	return f, nil
}

func (f *firstLine) url() string { return "http://" + f.ln.Addr().String() + "/" }

func (f *firstLine) close() { _ = f.ln.Close() }

func (f *firstLine) accept() {
	for {
		c, err := f.ln.Accept()
		if err != nil {
			return
		}
		go f.serve(c)
	}
}

// serve answers each request once its head has come, and closes the
// connection after an HTTP/1.0 one (ab's, which waits for the close); the
// first line of the connection's first request is the one timed.
func (f *firstLine) serve(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	first, requestLine := true, true
	var http10 bool
	for {
		line, err := r.ReadSlice('\n')
		if err != nil {
			return
		}
		if first {
			select {
			case f.seen <- time.Now():
			default:
			}
			first = false
		}
		if requestLine {
			http10, requestLine = strings.Contains(string(line), "HTTP/1.0"), false
		}
		if len(line) > 2 {
			continue
		}
		// The blank line that ends a head: no request here has a body.
		if _, err := c.Write([]byte(response200)); err != nil || http10 {
			return
		}
		requestLine = true
	}
}

const response200 = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nok\n"

// firstRequests runs command (a one-request run; URL stands for the
// listener's address) warmup+runs times pinned to cpu, and returns for
// each timed run the milliseconds from just before its start to its first
// request line's arrival. taskset's own exec is in every figure alike.
func (f *firstLine) firstRequests(cpu, command string, warmup, runs int) ([]float64, error) {
	argv := strings.Fields(strings.ReplaceAll(command, "URL", f.url()))
	var ms []float64
	for i := range warmup + runs {
		f.drain()
		t0 := time.Now()
		cmd := exec.Command("taskset", append([]string{"-c", cpu}, argv...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("%s: %v: %s", argv[0], err, lastLine(string(out)))
		}
		select {
		case at := <-f.seen:
			if i >= warmup {
				ms = append(ms, float64(at.Sub(t0).Microseconds())/1000)
			}
		case <-time.After(time.Second):
			return nil, fmt.Errorf("%s sent no request", argv[0])
		}
	}
	return ms, nil
}

func (f *firstLine) drain() {
	for {
		select {
		case <-f.seen:
		default:
			return
		}
	}
}
