//go:build linux

package metrics

import (
	"fmt"
	"math"
	"math/rand"
	"runtime"
	"syscall"
	"testing"
	"time"
)

// BenchmarkFlushAtScale measures what a recorder costs at scale: the live
// heap it and the last snapshot hold (heap-MB, after a collection) and the
// time of one Flush (flush-ms, wall clock; flush-cpu-ms, the CPU time of
// the flushing thread, less sensitive to other load), with 100,000 requests recorded per
// interval, spread over every shard and endpoint, latencies log-normal
// around 20 ms. Run it with a few iterations: -benchtime 10x.
func BenchmarkFlushAtScale(b *testing.B) {
	for _, c := range []struct{ shards, endpoints int }{{128, 50}, {4, 1000}, {4, 10000}} {
		b.Run(fmt.Sprintf("shards=%d/endpoints=%d", c.shards, c.endpoints), func(b *testing.B) {
			benchmarkScale(b, c.shards, c.endpoints, 100_000)
		})
	}
}

func benchmarkScale(b *testing.B, shards, endpoints, perInterval int) {
	names := make([]string, endpoints)
	for i := range names {
		names[i] = fmt.Sprintf("GET /endpoint/%d", i)
	}
	samples := scaleSamples(perInterval, endpoints)
	before := liveHeap()
	t0 := time.Unix(0, 0)
	r := NewRecorder(names, shards, t0)
	var snap Snapshot
	var flushing, flushCPU time.Duration
	record := func(sec int) time.Duration {
		for i := range samples {
			r.Record(uint64(i), &samples[i])
		}
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		start, cpu := time.Now(), threadCPU()
		snap = r.Flush(t0.Add(time.Duration(sec)*time.Second), false)
		flushCPU += threadCPU() - cpu
		return time.Since(start)
	}
	record(1) // the first interval touches every endpoint
	flushCPU = 0
	b.ResetTimer()
	for i := range b.N {
		flushing += record(i + 2)
	}
	b.StopTimer()
	heap := liveHeap() - before
	runtime.KeepAlive(r)
	runtime.KeepAlive(snap)
	runtime.KeepAlive(samples)
	b.ReportMetric(float64(flushing.Microseconds())/1000/float64(b.N), "flush-ms")
	b.ReportMetric(float64(flushCPU.Microseconds())/1000/float64(b.N), "flush-cpu-ms")
	b.ReportMetric(float64(heap)/(1<<20), "heap-MB")
	b.ReportMetric(0, "ns/op")
}

// scaleSamples returns n requests over the endpoints, log-normal
// latencies (median 20 ms), one in a hundred a 500.
func scaleSamples(n, endpoints int) []Sample {
	rng := rand.New(rand.NewSource(1))
	out := make([]Sample, n)
	for i := range out {
		lat := time.Duration(20e3*math.Exp(0.5*rng.NormFloat64())) * time.Microsecond
		out[i] = Sample{Endpoint: i % endpoints, Latency: lat, Service: lat * 9 / 10, Status: 200, BytesRecv: 512}
		if i%100 == 0 {
			out[i].Status, out[i].Failed = 500, true
		}
	}
	return out
}

// threadCPU is the CPU time the calling thread has used: a flush's own
// cost, whatever else the machine runs.
func threadCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(rusageThread, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
