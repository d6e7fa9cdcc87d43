package metrics

import (
	"maps"
	"time"
)

// Flush closes the current interval at now and returns a snapshot of it and
// of everything since the start. final marks the last snapshot of a test.
// Flush must be called from one goroutine at a time.
func (r *Recorder) Flush(now time.Time, final bool) Snapshot {
	if r.resetPending.Swap(false) {
		r.total = NewStats("")
		r.vus = VUs{}
		r.counters = map[string]int64{}
		r.failures.reset()
	}
	iv, endpoints := r.closeInterval(now)
	r.total.Add(iv.Stats)
	r.vus.Add(iv.VUs)
	for k, n := range iv.Counters {
		r.counters[k] += n
	}
	r.endpoints = endpoints
	r.index++
	r.last = now
	return Snapshot{
		Start:     r.start,
		Elapsed:   now.Sub(r.start),
		Interval:  iv,
		Total:     r.total.Clone(),
		Endpoints: endpoints,
		VUs:       r.vus,
		Failures:  r.failures.list(),
		Counters:  maps.Clone(r.counters),
		Final:     final,
	}
}

// closeInterval drains every shard into the interval ending at now and
// into fresh cumulative per-endpoint statistics.
func (r *Recorder) closeInterval(now time.Time) (Interval, []Stats) {
	iv := Interval{
		Index:     r.index,
		Start:     r.last,
		Duration:  now.Sub(r.last),
		Stats:     NewStats(""),
		Endpoints: make([]Count, len(r.names)),
		Counters:  map[string]int64{},
	}
	endpoints := make([]Stats, len(r.names))
	for e, n := range r.names {
		endpoints[e] = NewStats(n)
	}
	for i := range r.shards {
		r.drainShard(&r.shards[i], &iv, endpoints)
	}
	iv.ActiveVUs = r.active.Load()
	iv.InFlight = r.inFlight.Load()
	iv.MaxActive = max(r.maxActive.Swap(iv.ActiveVUs), iv.ActiveVUs)
	return iv, endpoints
}

// drainShard moves the shard's interval into iv and adds its cumulative
// per-endpoint statistics to endpoints. The lock is held only for copying.
func (r *Recorder) drainShard(sh *shard, iv *Interval, endpoints []Stats) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	sh.iv.addTo(&iv.Stats)
	iv.VUs.Add(sh.iv.vus)
	for c, n := range sh.iv.counters {
		if n != 0 {
			iv.Counters[Counter(c).String()] += n
		}
	}
	sh.iv.reset()
	sh.iv.vus = VUs{}
	sh.iv.counters = [MaxCounters]int64{}
	for e := range sh.endpoints {
		ep := &sh.endpoints[e]
		ep.addTo(&endpoints[e])
		iv.Endpoints[e].Requests += ep.ivRequests
		iv.Endpoints[e].Errors += ep.ivErrors
		iv.Endpoints[e].Failures += ep.ivFailures
		ep.ivRequests, ep.ivErrors, ep.ivFailures = 0, 0, 0
	}
}

func (e *endpointStats) addTo(s *Stats) {
	s.Requests += e.requests
	s.Errors += e.errors
	s.Failures += e.failures
	s.BytesSent += e.bytesSent
	s.BytesRecv += e.bytesRecv
	for c, n := range e.codes {
		if n != 0 {
			s.Codes[c] += n
		}
	}
	for k, n := range e.kinds {
		if n != 0 {
			s.Kinds[ErrorKind(k).String()] += n
		}
	}
	s.Latency.Merge(e.latency)
	s.Service.Merge(e.service)
}

// reset clears an interval's statistics, keeping its histograms' memory.
func (e *endpointStats) reset() {
	lat, svc := e.latency, e.service
	*e = endpointStats{latency: lat, service: svc}
	lat.Reset()
	svc.Reset()
}

// Reset clears the statistics gathered so far. Per-endpoint statistics are
// cleared at once; the totals, owned by the flushing goroutine, at the next
// Flush (so they keep the requests of the interval in progress). Safe from
// any goroutine.
func (r *Recorder) Reset() {
	r.resetPending.Store(true)
	for i := range r.shards {
		sh := &r.shards[i]
		sh.mu.Lock()
		for e := range sh.endpoints {
			ep := &sh.endpoints[e]
			ivr, ive, ivf := ep.ivRequests, ep.ivErrors, ep.ivFailures
			ep.reset()
			ep.ivRequests, ep.ivErrors, ep.ivFailures = ivr, ive, ivf
		}
		sh.mu.Unlock()
	}
}
