package metrics

import (
	"maps"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// Flush closes the current interval at now and returns a snapshot of it and
// of everything since Since. final marks the last snapshot of a test.
// Flush must be called from one goroutine at a time.
//
// It holds each shard's lock only to move its buffer out, and the
// recorder's lock only to swap accumulators: turning the closed interval
// into a snapshot happens while recording goes on.
func (r *Recorder) Flush(now time.Time, final bool) Snapshot {
	// Read once, so that the shards (which move their VUs to the new
	// span as they are swept) and the statistics agree on the reset.
	reset := r.resetPending.Swap(false)
	vus, counters := r.sweep(reset)
	closed, published, failures := r.swap(reset)
	r.pauseHere()
	r.publishHot(closed, published)
	endpoints := make([]Stats, len(published))
	for e, s := range published {
		endpoints[e] = *s
	}
	iv := r.closeInterval(closed, now, vus, counters)
	r.pauseHere()
	total := r.total.Clone()
	total.Add(iv.Stats)
	r.total = total
	r.pauseHere()
	r.vus.Add(iv.VUs)
	for k, n := range iv.Counters {
		r.counters[k] += n
	}
	r.recycle(closed, final)
	snap := Snapshot{
		Start: r.start, Elapsed: now.Sub(r.start), Since: r.since, FirstInterval: r.first,
		Interval: iv, Total: r.total, Endpoints: endpoints, VUs: r.vus,
		Failures: failures, Counters: maps.Clone(r.counters), Final: final,
	}
	r.index++
	r.last = now
	if reset {
		r.since, r.first = now, r.index
		r.total, r.vus, r.counters = NewStats(""), VUs{}, map[string]int64{}
	}
	return snap
}

// SetPause has Flush call pause between its longer steps, holding no
// lock: a collector that shares one processor with the goroutines that
// record uses it to let them run (see engine's pauser). nil: none.
func (r *Recorder) SetPause(pause func()) { r.pause = pause }

func (r *Recorder) pauseHere() {
	if r.pause != nil {
		r.pause()
	}
}

// sweep drains every shard into the interval in progress and collects the
// shards' VU and counter tallies. With reset, each shard's VUs started
// from then on belong to the new span.
func (r *Recorder) sweep(reset bool) (VUs, map[string]int64) {
	var vus VUs
	var counts [MaxCounters]int64
	for i := range r.shards {
		sh := &r.shards[i]
		sh.mu.Lock()
		r.drain(sh)
		vus.Add(sh.vus)
		sh.vus = VUs{}
		for c, n := range sh.counters {
			counts[c] += n
		}
		sh.counters = [MaxCounters]int64{}
		if reset {
			sh.span++
		}
		sh.mu.Unlock()
	}
	named := map[string]int64{}
	for c, n := range counts {
		if n != 0 {
			named[Counter(c).String()] += n
		}
	}
	return vus, named
}

// recycle clears the closed accumulator and keeps it for the next swap;
// after the final Flush it drops it instead: clearing writes every page
// of its dense histograms (over 1 MB), the largest cost a one-request run
// has after its start, for an interval that will never come. A Flush
// after the final one finds no spare and makes a new one.
func (r *Recorder) recycle(closed *accumulator, final bool) {
	if final {
		return
	}
	closed.clear()
	r.mu.Lock()
	r.spare = closed
	r.mu.Unlock()
}

// swap ends the interval in progress: recording goes on into the spare
// accumulator, and the work copies of the closed one become the published
// statistics (the hot endpoints' are built after, by publishHot). It
// returns the closed accumulator, the published statistics as they stand
// for this snapshot and the VU failures. With reset, the interval now
// starting is the first of a new span, and its statistics start from
// nothing.
func (r *Recorder) swap(reset bool) (*accumulator, []*Stats, []VUFailure) {
	r.mu.Lock()
	defer r.mu.Unlock()
	closed := r.cur
	if r.spare == nil { // the last Flush kept none (see recycle)
		r.spare = newAccumulator(len(r.names))
	}
	r.cur, r.spare = r.spare, nil
	for _, e := range closed.touched {
		if ep := &closed.eps[e]; ep.hot == nil {
			r.published[e] = ep.fold(ep.work)
		}
	}
	r.withHotSets(closed)
	// Only Flush writes published, and a reset replaces the slice rather
	// than its elements, so the flusher may read it without the lock.
	published := r.published
	failures := r.failures.list()
	if reset {
		r.published = make([]*Stats, len(r.names))
		r.clearPublished()
		r.failures.reset()
	}
	return closed, published, failures
}

// clearPublished starts every endpoint's statistics from nothing.
func (r *Recorder) clearPublished() {
	for e, n := range r.names {
		s := NewStats(n)
		r.published[e] = &s
	}
}

// closeInterval builds the interval that ends at now from an accumulator
// no shard drains into any more.
func (r *Recorder) closeInterval(a *accumulator, now time.Time, vus VUs, counters map[string]int64) Interval {
	iv := Interval{
		Index: r.index, Start: r.last, Duration: now.Sub(r.last),
		Stats: a.stats(), Endpoints: make([]Count, len(r.names)), VUs: vus, Counters: counters,
	}
	for _, e := range a.touched {
		ep := &a.eps[e]
		t := ep.tally
		c := Count{Requests: t.requests, Errors: t.errors, Failures: t.failures}
		if len(ep.codes) > 0 {
			c.Codes = make(map[int]int64, len(ep.codes))
			for _, k := range ep.codes {
				c.Codes[int(k.key)] += k.n
			}
		}
		if len(ep.kinds) > 0 {
			c.Kinds = make(map[string]int64, len(ep.kinds))
			for _, k := range ep.kinds {
				c.Kinds[k.key.String()] += k.n
			}
		}
		iv.Endpoints[e] = c
	}
	iv.ActiveVUs = r.active.Load()
	iv.InFlight = r.inFlight.Load()
	iv.MaxActive = max(r.maxActive.Swap(iv.ActiveVUs), iv.ActiveVUs)
	return iv
}

// stats is the accumulator's interval for every endpoint together.
func (a *accumulator) stats() Stats {
	s := NewStats("")
	a.all.addTo(&s)
	for c, n := range a.codes {
		if n != 0 {
			s.Codes[c] = n
		}
	}
	for k, n := range a.kinds {
		if n != 0 {
			s.Kinds[ErrorKind(k).String()] = n
		}
	}
	if d := a.totals; d != nil {
		mergeDense(s.Latency, d.latency)
		mergeDense(s.Service, d.service)
		latencyOK, serviceOK := d.ok()
		mergeDense(s.LatencyOK, latencyOK)
		mergeDense(s.ServiceOK, serviceOK)
	}
	a.addFew(&s)
	return s
}

// mergeDense adds src to dst unless src is empty: a merge reads all of
// src's counts (188 KB), faulting in pages an idle interval or a
// run without successes never wrote.
func mergeDense(dst *hdr.PackedHistogram, src *hdr.Histogram) {
	if src.TotalCount() > 0 {
		dst.MergeFrom(src)
	}
}

// Reset clears the statistics gathered so far. It takes effect at the next
// Flush: the snapshot that Flush returns still covers the span before the
// reset, and the interval that starts then is the first of the new span
// (Snapshot.Since, Snapshot.FirstInterval), so that the totals stay the
// sum of whole intervals and rates divide by the time they cover. VUs
// count in the span they started in (see VUFinished). Safe from any
// goroutine.
func (r *Recorder) Reset() {
	r.resetPending.Store(true)
}

// Restart moves the recorder's start to start: for a test that readies
// itself after making its recorder and starts its clock after that. It
// must be called before anything is recorded or flushed.
func (r *Recorder) Restart(start time.Time) {
	r.start, r.last, r.since = start, start, start
}
