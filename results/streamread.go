package results

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// streamFamily is what every version of the stream's schema starts with.
const streamFamily = "surge.stream/"

// streamSchemaOf tells a stream from a results file by its first line,
// whatever the file is called: a stream's is a whole JSON object naming a
// stream schema (returned), a results file's (indented) is a lone brace
// ("").
func streamSchemaOf(data []byte) string {
	first, _, _ := bytes.Cut(data, []byte("\n"))
	var probe struct {
		Schema string `json:"schema"`
	}
	if json.Unmarshal(first, &probe) != nil || !strings.HasPrefix(probe.Schema, streamFamily) {
		return ""
	}
	return probe.Schema
}

// parseStream reads a stream. One that ends with its end line gives the
// document the run's results file holds; one cut short (the run was
// killed) gives the document rebuilt from the intervals it holds, marked
// CutShort. A last line without its newline is a line the run was
// writing when it died: dropped.
func parseStream(path string, data []byte) (*Results, error) {
	lines := bytes.Split(data, []byte("\n"))
	lines = lines[:len(lines)-1] // after the last newline: empty, or a part of a line
	if len(lines) == 0 {
		return nil, fmt.Errorf("%s: a stream cut short before its first line was whole", path)
	}
	var h StreamHeader
	if err := json.Unmarshal(lines[0], &h); err != nil {
		return nil, fmt.Errorf("%s:1: not a stream header: %w", path, err)
	}
	var ivs []Interval
	var reset streamReset
	for i, raw := range lines[1:] {
		var l streamLine
		if err := json.Unmarshal(raw, &l); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, i+2, err)
		}
		switch {
		case l.Interval != nil:
			if err := nextIndex(ivs, l.Interval.Index); err != nil {
				return nil, fmt.Errorf("%s:%d: %w", path, i+2, err)
			}
			if d := l.Interval.DurationS; !(d >= 0 && d <= maxIntervalS) {
				return nil, fmt.Errorf("%s:%d: interval of second %d lasts %g s: a run's intervals last from 0 to a year",
					path, i+2, l.Interval.Index, d)
			}
			ivs = append(ivs, *l.Interval)
			reset = reset.after(l)
		case l.End != nil && i+2 < len(lines):
			return nil, fmt.Errorf("%s:%d: lines follow the end line", path, i+2)
		case l.End != nil:
			return ended(path, l.End, ivs)
		default:
			return nil, fmt.Errorf("%s:%d: neither an interval nor the end", path, i+2)
		}
	}
	r, err := rebuild(h, ivs, reset)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return r, nil
}

// maxIntervalS bounds an interval's length in a stream: a second, or a
// little more when the run stalled; the lengths are added up (the test's,
// the generator's spans), and 1e308 s twice would be +Inf.
const maxIntervalS = 366 * 24 * 3600

// streamReset is the last reset of the statistics a stream's lines
// record: its time, and the first interval counted after it.
type streamReset struct {
	at    time.Time
	first int
}

// after is the last reset once interval line l is read: l's, if it
// records one (a later reset replaces an earlier one, as in the run).
func (r streamReset) after(l streamLine) streamReset {
	if l.ResetAt.IsZero() {
		return r
	}
	return streamReset{at: l.ResetAt, first: l.Interval.Index}
}

// nextIndex refuses an interval that does not follow the ones before it:
// a run writes every second, from 0 (its index in the plan, which a reset
// of the statistics does not restart), each once and in order, so a
// repeated, missing or misplaced second is a stream that was damaged or
// pieced together, whose sums would be wrong.
func nextIndex(ivs []Interval, index int) error {
	want := 0
	if len(ivs) > 0 {
		want = ivs[len(ivs)-1].Index + 1
	}
	switch {
	case index == want:
		return nil
	case len(ivs) == 0:
		return fmt.Errorf("the first interval is second %d, want 0: a run records every second from the start", index)
	}
	return fmt.Errorf("interval of second %d after second %d, want %d: a run records every second once, in order",
		index, want-1, want)
}

// ended is a complete stream's document: the end line with the
// intervals before it, marked as a results file marks them after a reset.
// The end line's reset_at decides (a stream written before the lines
// recorded the reset has only it); the lines' reset agrees with it.
func ended(path string, end *Results, ivs []Interval) (*Results, error) {
	if end.Schema != Schema {
		return nil, fmt.Errorf("%s: end line of schema %q, want %q", path, end.Schema, Schema)
	}
	for i := range ivs {
		ivs[i].BeforeReset = !end.Test.ResetAt.IsZero() && ivs[i].Start.Before(end.Test.ResetAt)
	}
	end.Intervals = ivs
	return end, nil
}

// rebuild makes the document of a stream cut short from its intervals:
// the aggregate's histograms are their histograms added exactly, its
// counts their sums. After a reset, as in the run's own document, the
// aggregate, endpoints and counters sum only the intervals from the reset
// on, rates divide by the time since it, and the earlier intervals are
// marked before_reset. What the intervals do not hold stays empty: bytes,
// VU failures by reason and, when there are several endpoints, each
// endpoint's latency (with one, the endpoint is the aggregate).
func rebuild(h StreamHeader, ivs []Interval, reset streamReset) (*Results, error) {
	test := h.Test
	test.Interrupted, test.CutShort = true, true
	span := spanOf(&test, ivs)
	counted := ivs
	if !reset.at.IsZero() {
		test.ResetAt, counted, span = reset.at, ivs[reset.first:], test.Ended.Sub(reset.at)
		for i := range ivs[:reset.first] {
			ivs[i].BeforeReset = true
		}
	}
	r := &Results{Schema: Schema, Version: h.Version, Test: test, Plan: h.Plan, Intervals: ivs}
	agg, err := sumIntervals(&r.Aggregate, counted, span)
	if err != nil {
		return nil, err
	}
	r.Aggregate.Stats, r.Aggregate.SpanS = agg, round3(span.Seconds())
	r.Aggregate.MaxActiveVUs = maxActive(ivs)
	r.Endpoints = rebuildEndpoints(h.Endpoints, counted, agg, span)
	r.Counters = Counters(r)
	for _, iv := range counted {
		r.Counters = addCounts(r.Counters, iv.Counters)
	}
	r.Aggregate.Counters = artilleryCounters(r.Counters)
	r.Generator = JudgeGenerator(ivs)
	return r, nil
}

// sumIntervals adds the intervals' VU counts and dropped arrivals into a
// and returns their statistics together over span.
func sumIntervals(a *Aggregate, ivs []Interval, span time.Duration) (Stats, error) {
	parts, where := make([]Stats, len(ivs)), make([]string, len(ivs))
	for i, iv := range ivs {
		parts[i] = Stats{Requests: iv.Requests, Errors: iv.Errors, Failures: iv.Failures, Codes: iv.Codes,
			ErrorKind: iv.ErrorKind, Hist: iv.Hist}
		where[i] = fmt.Sprintf("interval %d", iv.Index)
		a.VUsers.Created += iv.VUsers.Created
		a.VUsers.Completed += iv.VUsers.Completed
		a.VUsers.Failed += iv.VUsers.Failed
		a.Dropped += iv.Dropped
	}
	return mergeStats(parts, span, where)
}

// spanOf sets the test's start, end and duration from the intervals
// (interval t began t seconds after the start) and returns the duration.
func spanOf(test *Test, ivs []Interval) time.Duration {
	if len(ivs) == 0 {
		test.Ended, test.DurationS = test.Started, 0
		return 0
	}
	first, last := ivs[0], ivs[len(ivs)-1]
	test.Started = first.Start.Add(-time.Duration(first.Index) * time.Second)
	test.Ended = last.Start.Add(time.Duration(last.DurationS * float64(time.Second)))
	d := test.Ended.Sub(test.Started)
	test.DurationS = round3(d.Seconds())
	return d
}

// rebuildEndpoints sums each endpoint's counts, codes and errors by kind
// over the intervals, which list them in the header's order. A stream of
// a Surge that did not keep codes per interval holds none: the
// endpoint's codes and errors by kind are then left empty, not summed
// from the seconds that have them.
func rebuildEndpoints(names []string, ivs []Interval, agg Stats, span time.Duration) []Endpoint {
	if len(names) == 1 {
		return []Endpoint{{Name: names[0], Stats: agg}}
	}
	out := make([]Endpoint, len(names))
	for i, name := range names {
		e := &out[i]
		e.Name = name
		known := true
		for _, iv := range ivs {
			if i >= len(iv.Endpoints) {
				continue
			}
			c := iv.Endpoints[i]
			e.Requests += c.Requests
			e.Errors += c.Errors
			e.Failures += c.Failures
			e.Codes = addCounts(e.Codes, c.Codes)
			e.ErrorKind = addCounts(e.ErrorKind, c.ErrorKind)
			known = known && c.codesKnown()
		}
		if !known {
			e.Codes, e.ErrorKind = nil, nil
		}
		e.Codes = orEmpty(e.Codes)
		e.FailureRatePct, e.ErrorRatePct = Pct(e.Failures, e.Requests), Pct(e.Errors, e.Requests)
		e.RPS = rate(e.Requests, span)
	}
	return out
}
