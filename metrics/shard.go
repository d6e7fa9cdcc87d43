package metrics

import "sync"

// shardBuffer is how many requests a shard holds before it moves them into
// the interval: large enough that the recorder's lock is taken once per
// few hundred requests, small enough that 128 shards hold about a
// megabyte.
const shardBuffer = 256

// shard is recorded into under its own lock. It holds raw requests, not
// statistics, so its size does not depend on the number of endpoints.
// Padding keeps neighbouring shard locks off one cache line.
type shard struct {
	mu       sync.Mutex
	n        int
	buf      [shardBuffer]entry
	vus      VUs
	counters [MaxCounters]int64
	span     Span // the span of statistics its VU tallies go to (see VUFinished)
	_        [64]byte
}

// entry is one request waiting in a shard: a Sample in 32 bytes.
// Durations are whole microseconds, clamped to the histograms' range (at
// most an hour, which fits in 32 bits).
type entry struct {
	endpoint  uint32
	status    uint16
	kind      ErrorKind
	failed    bool
	latency   uint32
	service   uint32
	bytesSent int64
	bytesRecv int64
}

func newEntry(s *Sample) entry {
	e := entry{endpoint: uint32(s.Endpoint), kind: s.Err, failed: s.Failed,
		latency: uint32(micros(s.Latency)), service: uint32(micros(s.Service)),
		bytesSent: s.BytesSent, bytesRecv: s.BytesRecv}
	if s.Status > 0 && s.Status < maxCode {
		e.status = uint16(s.Status)
	}
	return e
}

// maxCode bounds the status codes counted: the engine turns anything
// outside 100-599 into a protocol error.
const maxCode = MaxStatus + 1
