// Command countsrv is the benchmark's counting server for the rate
// precision scenario: a minimal HTTP/1.1 keep-alive server that answers
// every request with a tiny body and records when each request line
// arrived. A control listener reports, for a target rate, how many
// requests came, the achieved rate and how far the arrivals lagged behind
// an ideal evenly spaced schedule, so that every load generator is judged
// from the same side by the same method.
//
//	countsrv -addr 127.0.0.1:9000 -ctl 127.0.0.1:9001
//	curl '127.0.0.1:9001/stats?rate=10000'
//	curl '127.0.0.1:9001/reset'
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync"
	"time"
)

const response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nok\n"

// arrivals is the log of request arrival times, in nanoseconds since the
// server started (monotonic).
type arrivals struct {
	mu    sync.Mutex
	start time.Time
	ts    []int64
}

func (a *arrivals) add(t int64) {
	a.mu.Lock()
	a.ts = append(a.ts, t)
	a.mu.Unlock()
}

func (a *arrivals) snapshot() []int64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]int64(nil), a.ts...)
}

func (a *arrivals) reset() {
	a.mu.Lock()
	a.ts = a.ts[:0]
	a.mu.Unlock()
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "load listener")
	ctl := flag.String("ctl", "127.0.0.1:0", "control listener (/stats, /reset)")
	flag.Parse()
	a := &arrivals{start: time.Now(), ts: make([]int64, 0, 1<<21)}
	l, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	cl, err := net.Listen("tcp", *ctl)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("load %s control %s\n", l.Addr(), cl.Addr())
	os.Stdout.Sync()
	mux := http.NewServeMux()
	mux.HandleFunc("/stats", func(w http.ResponseWriter, r *http.Request) {
		rate, _ := strconv.ParseFloat(r.URL.Query().Get("rate"), 64)
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(Summarise(a.snapshot(), rate))
	})
	mux.HandleFunc("/reset", func(w http.ResponseWriter, _ *http.Request) { a.reset() })
	go func() { log.Fatal(http.Serve(cl, mux)) }()
	for {
		c, err := l.Accept()
		if err != nil {
			// Out of file descriptors under a connection storm: back off
			// and go on, as net/http's server does.
			log.Print(err)
			time.Sleep(5 * time.Millisecond)
			continue
		}
		go serve(c, a)
	}
}

// serve answers requests on one connection until it closes. Pipelined
// requests are answered in one write.
func serve(c net.Conn, a *arrivals) {
	defer c.Close()
	r := bufio.NewReaderSize(c, 4096)
	w := bufio.NewWriterSize(c, 4096)
	for {
		line, err := r.ReadSlice('\n')
		if err != nil {
			return
		}
		a.add(int64(time.Since(a.start)))
		if len(bytes.TrimSpace(line)) == 0 {
			continue // stray CRLF between requests
		}
		body, closeAfter, err := headers(r)
		if err != nil {
			return
		}
		if body > 0 {
			if _, err := io.CopyN(io.Discard, r, body); err != nil {
				return
			}
		}
		w.WriteString(response)
		if r.Buffered() == 0 || closeAfter {
			if w.Flush() != nil || closeAfter {
				return
			}
		}
	}
}

// headers reads the header block and returns the body length and whether
// the client asked to close the connection.
func headers(r *bufio.Reader) (body int64, closeAfter bool, err error) {
	for {
		line, err := r.ReadSlice('\n')
		if err != nil {
			return 0, false, err
		}
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 {
			return body, closeAfter, nil
		}
		k, v, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			continue
		}
		v = bytes.TrimSpace(v)
		switch {
		case bytes.EqualFold(k, []byte("Content-Length")):
			body, _ = strconv.ParseInt(string(v), 10, 64)
		case bytes.EqualFold(k, []byte("Connection")):
			closeAfter = bytes.EqualFold(v, []byte("close"))
		}
	}
}
