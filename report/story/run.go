package story

import (
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/surge-dev/surge/results"
)

// minPlottedS mirrors report.MinPlottedS: a test's last interval is
// mostly the wait for requests in flight, and a rate over a few
// milliseconds of it is a spike that never happened.
const minPlottedS = 0.5

// maxRequestsPerArrival tells an open-model run (a few requests per
// arrival) from a closed one (virtual users looping): above it, arrivals
// say nothing about when the load was offered.
const maxRequestsPerArrival = 20

// run is the per-second view of a results document that a story reads.
type run struct {
	t, dur  []float64 // each interval's second since the start, and its length
	offered Series    // requests per second the test tried to send
	served  Series    // responses per second with a status below 400
	refused Series    // responses per second with status 429 or 5xx
	mon     []map[string]float64
}

// readRun reads the plotted intervals of r.
func readRun(r *results.Results) *run {
	ivs := plotted(r.Intervals)
	out := &run{}
	perArrival := requestsPerArrival(ivs)
	for i := range ivs {
		iv := &ivs[i]
		d := iv.DurationS
		if d <= 0 {
			d = 1
		}
		out.t = append(out.t, float64(iv.Index))
		out.dur = append(out.dur, d)
		offered := float64(iv.Requests + iv.Dropped)
		if perArrival > 0 {
			offered = float64(iv.VUsers.Created)*perArrival + float64(iv.Dropped)
		}
		out.offered = append(out.offered, offered/d)
		out.served = append(out.served, float64(servedCount(iv.Codes))/d)
		out.refused = append(out.refused, float64(refusedCount(iv.Codes))/d)
		out.mon = append(out.mon, iv.Monitor)
	}
	return out
}

// requestsPerArrival is the run's requests per new virtual user when the
// run is open-model, so that offered load can be counted when it arrived
// rather than when it completed (a 1 s handler would shift it by 1 s);
// 0 when it is not.
func requestsPerArrival(ivs []results.Interval) float64 {
	var reqs, created float64
	for i := range ivs {
		reqs += float64(ivs[i].Requests)
		created += float64(ivs[i].VUsers.Created)
	}
	if created == 0 || reqs/created > maxRequestsPerArrival {
		return 0
	}
	return reqs / created
}

func servedCount(codes map[string]int64) int64 {
	var n int64
	for code, c := range codes {
		if v, err := strconv.Atoi(code); err == nil && v < 400 {
			n += c
		}
	}
	return n
}

func refusedCount(codes map[string]int64) int64 {
	var n int64
	for code, c := range codes {
		if v, err := strconv.Atoi(code); err == nil && (v == 429 || v >= 500) {
			n += c
		}
	}
	return n
}

// plotted leaves out intervals after the first shorter than minPlottedS.
func plotted(ivs []results.Interval) []results.Interval {
	out := make([]results.Interval, 0, len(ivs))
	for i := range ivs {
		if i > 0 && ivs[i].DurationS > 0 && ivs[i].DurationS < minPlottedS {
			continue
		}
		out = append(out, ivs[i])
	}
	return out
}

func (r *run) len() int { return len(r.t) }

// gauge is the series key at each second, NaN where it was not scraped.
func (r *run) gauge(key string) Series {
	out := nans(r.len())
	for i, m := range r.mon {
		if v, ok := m[key]; ok {
			out[i] = v
		}
	}
	return out
}

// rate is the per-second increase of the counters keys (summed): the
// first second a counter is seen, and a second where it went down (the
// target restarted), have no rate.
func (r *run) rate(keys ...string) Series {
	total := nans(r.len())
	for i, m := range r.mon {
		var s float64
		n := 0
		for _, k := range keys {
			if v, ok := m[k]; ok {
				s += v
				n++
			}
		}
		if n == len(keys) && n > 0 {
			total[i] = s
		}
	}
	out := nans(r.len())
	prev := math.NaN()
	for i, v := range total {
		if !math.IsNaN(v) && !math.IsNaN(prev) && v >= prev {
			out[i] = (v - prev) / r.dur[i]
		}
		if !math.IsNaN(v) {
			prev = v
		}
	}
	return out
}

// keys returns the sorted series keys of metric name with labels.
func (r *run) keys(name string) []string {
	seen := map[string]bool{}
	for _, m := range r.mon {
		for k := range m {
			if strings.HasPrefix(k, name+"{") {
				seen[k] = true
			}
		}
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// has reports whether any second holds the series key.
func (r *run) has(key string) bool {
	for _, m := range r.mon {
		if _, ok := m[key]; ok {
			return true
		}
	}
	return false
}

// labels returns the labels of the first series of metric name, or nil.
func (r *run) labels(name string) map[string]string {
	ks := r.keys(name)
	if len(ks) == 0 {
		return nil
	}
	return parseLabels(ks[0][len(name):])
}

// parseLabels reads `{k="v",…}` as the monitor writes it (values quoted
// as Go strings); nil when it cannot.
func parseLabels(s string) map[string]string {
	if !strings.HasPrefix(s, "{") || !strings.HasSuffix(s, "}") {
		return nil
	}
	s = s[1 : len(s)-1]
	out := map[string]string{}
	for s != "" {
		eq := strings.IndexByte(s, '=')
		if eq < 0 {
			return nil
		}
		name := s[:eq]
		quoted, err := strconv.QuotedPrefix(s[eq+1:])
		if err != nil {
			return nil
		}
		out[name], _ = strconv.Unquote(quoted)
		s = strings.TrimPrefix(s[eq+1+len(quoted):], ",")
	}
	return out
}

// label returns the value of label name in series key.
func label(key, name string) string {
	i := strings.IndexByte(key, '{')
	if i < 0 {
		return ""
	}
	return parseLabels(key[i:])[name]
}

// maxScrapeLag is the largest lag, in seconds, alignMonitor looks for.
const maxScrapeLag = 2

// alignMonitor moves the target's series earlier by the lag at which the
// target's count of refusals (counters refusalKeys) best matches the
// refusals the client saw. The monitor scrapes once a second and a
// second's results hold the latest scrape, often taken as the next second
// began: the target's series then trail the client's by a second, and a
// chart would show the target throttling after the client was refused.
// Without refusals there is nothing to match, and nothing moves.
func (r *run) alignMonitor(refusalKeys []string) {
	var present []string
	for _, k := range refusalKeys {
		if r.has(k) {
			present = append(present, k)
		}
	}
	refusalKeys = present
	if len(refusalKeys) == 0 || !(r.refused.sum() > 0) {
		return
	}
	mon := r.mon
	best, bestMiss := 0, math.Inf(1)
	for k := 0; k <= maxScrapeLag && k < len(mon); k++ {
		r.mon = shiftEarlier(mon, k)
		var miss float64
		for i, v := range r.rate(refusalKeys...) {
			if math.IsNaN(v) {
				v = 0
			}
			miss += math.Abs(v-r.refused[i]) * r.dur[i]
		}
		if miss < bestMiss {
			best, bestMiss = k, miss
		}
	}
	r.mon = shiftEarlier(mon, best)
}

// shiftEarlier returns mon with every scrape k seconds earlier; the last
// k seconds keep the final scrape.
func shiftEarlier(mon []map[string]float64, k int) []map[string]float64 {
	out := make([]map[string]float64, len(mon))
	for i := range out {
		out[i] = mon[min(i+k, len(mon)-1)]
	}
	return out
}
