package cli

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/surge-dev/surge/internal/freeaddr"
	"github.com/surge-dev/surge/monitor"
	"github.com/surge-dev/surge/results"
)

// scrapeRequests sums surge_requests_total over the endpoints of the
// metrics at addr, and says whether they were served.
func scrapeRequests(addr string) (int64, bool) {
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		return 0, false
	}
	defer resp.Body.Close()
	series, err := monitor.Parse(resp.Body)
	if err != nil {
		return 0, false
	}
	var sum float64
	for name, v := range series {
		if strings.HasPrefix(name, "surge_requests_total{") {
			sum += v
		}
	}
	return int64(sum), true
}

// A coordinated test's --stream is the merged test's, written as the
// seconds are merged: it reads back as the -o file. A worker's --stream
// is its own share's, as its -o is. Prometheus is each share's process's:
// the coordinator exports its own share, as a worker would.
func TestACoordinatedTestStreamsTheMergeAndExportsEachShare(t *testing.T) {
	srv, _ := pathCounter(t)
	dir := t.TempDir()
	script := splitScript(t, dir, srv.URL, `    conditions:
      - expression: "http.requests == 120"`)
	addr, prom := freeaddr.Loopback(t), freeaddr.Loopback(t)
	file := func(name string) string { return filepath.Join(dir, name) }
	var wg sync.WaitGroup
	var coordinator cmdResult
	wg.Go(func() {
		coordinator = surge(t, context.Background(), "run", "-q", "--coordinate", "2", "--listen", addr, "--wait", "20s",
			"-o", file("merged.json"), "--stream", file("merged.jsonl"), "--prometheus", prom, "--prometheus-linger", "20s", script)
	})
	stop, scraped := make(chan struct{}), make(chan int64, 1)
	go func() { // the last count served, once stopped
		var last int64
		for {
			if n, ok := scrapeRequests(prom); ok {
				last = n
			}
			select {
			case <-stop:
				scraped <- last
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	}()
	worker := surge(t, context.Background(), "run", "-q", "--coordinator", addr, "--wait", "20s",
		"-o", file("share.json"), "--stream", file("share.jsonl"), script)
	wg.Wait()
	close(stop)
	if coordinator.code != ExitOK || worker.code != ExitOK {
		t.Fatalf("coordinator exit %d, worker exit %d:\n%s\n%s", coordinator.code, worker.code, coordinator.stderr, worker.stderr)
	}
	merged, stream := mustReadResults(t, file("merged.json")), mustReadResults(t, file("merged.jsonl"))
	if stream.Test.CutShort || stream.Aggregate.Requests != 120 || merged.Aggregate.Requests != 120 ||
		len(stream.Intervals) != len(merged.Intervals) || stream.Plan == nil || stream.Plan.Segment != "0:1" {
		t.Fatalf("merged stream: cut short %v, %d requests in %d seconds (plan %+v); -o: %d requests in %d seconds",
			stream.Test.CutShort, stream.Aggregate.Requests, len(stream.Intervals), stream.Plan,
			merged.Aggregate.Requests, len(merged.Intervals))
	}
	for i, iv := range stream.Intervals { // the seconds merged live are those of the final merge
		if m := merged.Intervals[i]; iv.Index != m.Index || iv.Requests != m.Requests || iv.Hist != m.Hist {
			t.Fatalf("second %d: streamed %d requests (index %d), -o %d (index %d), histograms equal %v",
				i, iv.Requests, iv.Index, m.Requests, m.Index, iv.Hist == m.Hist)
		}
	}
	share, shareStream := mustReadResults(t, file("share.json")), mustReadResults(t, file("share.jsonl"))
	if n := share.Aggregate.Requests; n == 0 || n == 120 || shareStream.Aggregate.Requests != n || shareStream.Test.CutShort {
		t.Fatalf("the worker's share: -o %d requests, its stream %d (cut short %v); the test 120",
			n, shareStream.Aggregate.Requests, shareStream.Test.CutShort)
	}
	if !strings.Contains(coordinator.stderr, "prometheus: metrics at http://"+prom) {
		t.Fatalf("the coordinator's own share exports nothing:\n%s", coordinator.stderr)
	}
	if got, own := <-scraped, 120-share.Aggregate.Requests; got != own {
		t.Fatalf("the coordinator's exporter served %d requests, its own share sent %d", got, own)
	}
}

func mustReadResults(t *testing.T, path string) *results.Results {
	t.Helper()
	r, err := results.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
