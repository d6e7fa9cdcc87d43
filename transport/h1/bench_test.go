package h1

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"testing"
	"time"
)

var hello = []byte("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\nHello, World!")

// helloServer answers every request head with the same small response. It
// allocates nothing per request, so that allocs/op are the client's.
func helloServer(c net.Conn) {
	br := bufio.NewReader(c)
	for {
		line, err := br.ReadSlice('\n')
		if err != nil {
			return
		}
		if len(line) > 2 {
			continue
		}
		if _, err := c.Write(hello); err != nil {
			return
		}
	}
}

// benchmarkRoundTrip runs GETs in parallel against helloServer, each with
// a fresh timeout context, as Surge's virtual users send them, or without
// one when bare.
func benchmarkRoundTrip(b *testing.B, rt http.RoundTripper, bare bool) {
	url := "http://" + rawServer(b, helloServer) + "/hello"
	b.ReportAllocs()
	// Many connections in flight, as in a load test: the figure is then
	// CPU per request rather than loopback latency.
	b.SetParallelism(16)
	b.RunParallel(func(pb *testing.PB) {
		req, err := http.NewRequest("GET", url, nil)
		if err != nil {
			b.Error(err)
			return
		}
		for pb.Next() {
			if err := fetch(rt, req, bare); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func fetch(rt http.RoundTripper, req *http.Request, bare bool) error {
	if !bare {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		req = req.WithContext(ctx)
	}
	resp, err := rt.RoundTrip(req)
	if err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return err
}

func BenchmarkH1(b *testing.B) {
	for _, bare := range []bool{false, true} {
		b.Run(benchName(bare), func(b *testing.B) {
			benchmarkRoundTrip(b, newTransport(b, nil), bare)
		})
	}
}

func BenchmarkNetHTTP(b *testing.B) {
	for _, bare := range []bool{false, true} {
		b.Run(benchName(bare), func(b *testing.B) {
			tr := &http.Transport{MaxIdleConnsPerHost: 1000}
			b.Cleanup(tr.CloseIdleConnections)
			benchmarkRoundTrip(b, tr, bare)
		})
	}
}

func benchName(bare bool) string {
	if bare {
		return "bare"
	}
	return "timeout"
}

// BenchmarkExchange is the hot path of an ad-hoc test: a prepared request
// exchanged in parallel under one context and a timeout, as engine.VU.Send
// does. It must allocate nothing per request.
func BenchmarkExchange(b *testing.B) {
	addr := rawServer(b, helloServer)
	tr := newTransport(b, nil)
	p, err := Prepare(mustRequest(b, "GET", "http://"+addr+"/hello"), nil)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	b.SetParallelism(16)
	defer reportCPU(b)()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := tr.Exchange(ctx, p, time.Time{}, 10*time.Second); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkIdlePeek is the cost of looking at an idle connection before
// reusing it (conn.quiet), to set against BenchmarkExchange's per request.
func BenchmarkIdlePeek(b *testing.B) {
	addr := rawServer(b, helloServer)
	tr := newTransport(b, nil)
	if _, err := tr.Exchange(context.Background(), mustPrepare(b, "http://"+addr+"/"), time.Time{}, 0); err != nil {
		b.Fatal(err)
	}
	p := tr.pool(mustRequest(b, "GET", "http://"+addr+"/").URL)
	c := p.idle[0]
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		if !c.quiet() {
			b.Fatal("a quiet connection looks stale")
		}
	}
}

func mustPrepare(b *testing.B, url string) *Prepared {
	p, err := Prepare(mustRequest(b, "GET", url), nil)
	if err != nil {
		b.Fatal(err)
	}
	return p
}
