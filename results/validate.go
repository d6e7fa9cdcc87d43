package results

import (
	"fmt"
	"maps"
	"slices"
)

// validate checks that a document read back holds together, as every
// document Surge writes does, so that a file edited by hand or damaged
// is refused rather than rendered or compared: every count is zero or
// more, errors and failures are not above the requests, the responses by
// code plus the errors are the requests wherever the file lists codes
// (and the errors by kind the errors), the latency and the service time
// of the requests that did not fail count the requests less the
// failures, and the intervals
// that the aggregate covers (all, or those from a reset of the
// statistics on: not before_reset) sum to it, and so do the endpoints.
//
// What a file may leave out, it is not held to: codes or errors by kind
// left empty (an endpoint of a stream cut short, or of a merge with one,
// written by a Surge that did not keep them per second), the latency or
// the service time of the requests that did not fail (a file of a Surge
// that did not record it), and intervals altogether (a document without them). Failures are not held to be at
// least the errors: files written before failures were counted have
// none.
func validate(r *Results) error {
	if err := checkSpans(r); err != nil {
		return err
	}
	if err := checkStats("aggregate", r.Aggregate.Stats); err != nil {
		return err
	}
	a := r.Aggregate
	if err := nonNegative("aggregate", map[string]int64{"dropped": a.Dropped, "max_active_vus": a.MaxActiveVUs,
		"vusers.created": a.VUsers.Created, "vusers.completed": a.VUsers.Completed, "vusers.failed": a.VUsers.Failed}); err != nil {
		return err
	}
	for i, e := range r.Endpoints {
		if err := checkStats(fmt.Sprintf("endpoints[%d] (%s)", i, e.Name), e.Stats); err != nil {
			return err
		}
	}
	var sum counts
	for i, iv := range r.Intervals {
		if err := checkSecond(r.Intervals[:i], iv); err != nil {
			return fmt.Errorf("intervals[%d]: %w", i, err)
		}
		if err := checkInterval(fmt.Sprintf("intervals[%d] (second %d)", i, iv.Index), iv); err != nil {
			return err
		}
		if !iv.BeforeReset {
			sum.add(iv.Requests, iv.Errors, iv.Failures, 0, 0, nil, nil)
		}
	}
	if len(r.Intervals) > 0 {
		which := "the intervals"
		if !r.Test.ResetAt.IsZero() {
			which = "the intervals from reset_at on (not before_reset)"
		}
		if err := sumsToAggregate(a, sum, which); err != nil {
			return err
		}
	}
	return checkEndpointsSum(r)
}

// checkSpans refuses a negative length of the test or of the span the
// aggregate covers: every rate divides by it (a negative throughput in
// the report), and no run lasts less than nothing.
func checkSpans(r *Results) error {
	for name, s := range map[string]float64{"test.duration_s": r.Test.DurationS, "aggregate.span_s": r.Aggregate.SpanS} {
		if !(s >= 0) {
			return fmt.Errorf("%s is %g: a length of time is never negative", name, s)
		}
	}
	return nil
}

// checkSecond holds a file's interval to what a stream's reader holds
// its lines to: every second from 0, once and in order, each lasting 0
// to maxIntervalS. Compare places the seconds in its window by index and
// length, and reports and the generator's verdict add the lengths: a
// negative, repeated or endless second left compare with "0 seconds in
// the window", or with a verdict on runs of 1e300 s.
func checkSecond(before []Interval, iv Interval) error {
	if err := nextIndex(before, iv.Index); err != nil {
		return err
	}
	if d := iv.DurationS; !(d >= 0 && d <= maxIntervalS) {
		return fmt.Errorf("interval of second %d lasts %g s: a run's intervals last from 0 to a year", iv.Index, d)
	}
	return nil
}

// checkEndpointsSum holds the endpoints to the aggregate: every request
// is recorded under exactly one endpoint, so their requests, errors and
// failures sum to the aggregate's (a document without endpoints is not
// held to it).
func checkEndpointsSum(r *Results) error {
	if len(r.Endpoints) == 0 {
		return nil
	}
	var sum counts
	for _, e := range r.Endpoints {
		sum.add(e.Requests, e.Errors, e.Failures, 0, 0, nil, nil)
	}
	return sumsToAggregate(r.Aggregate, sum, "the endpoints'")
}

// sumsToAggregate says where the aggregate's requests, errors or
// failures differ from sum, the sums of the parts named by which.
func sumsToAggregate(a Aggregate, sum counts, which string) error {
	for _, f := range []struct {
		name        string
		agg, ofSums int64
	}{{"requests", a.Requests, sum.requests}, {"errors", a.Errors, sum.errors}, {"failures", a.Failures, sum.failures}} {
		if f.agg != f.ofSums {
			return fmt.Errorf("aggregate.%s is %d, but %s sum to %d: they must be equal", f.name, f.agg, which, f.ofSums)
		}
	}
	return nil
}

// mendPartialCodes empties the codes and errors by kind of the endpoints
// of a document cut short that hold only a part of them: a merge with a
// share cut short, written by a Surge that summed the complete shares'
// codes alone (the cut share's seconds held none per endpoint). They are
// read as a merge now writes them, left empty as unknown, rather than
// refused as a file that does not hold together.
func mendPartialCodes(r *Results) {
	if !r.Test.CutShort {
		return
	}
	for i := range r.Endpoints {
		e := &r.Endpoints[i]
		if len(e.Codes) > 0 && e.Errors <= e.Requests && sumCounts(e.Codes) < e.Requests-e.Errors {
			e.Codes = map[string]int64{}
		}
		if len(e.ErrorKind) > 0 && sumCounts(e.ErrorKind) < e.Errors {
			e.ErrorKind = nil
		}
	}
}

// checkStats checks one Stats (the aggregate's or an endpoint's); where
// names it.
func checkStats(where string, s Stats) error {
	if err := nonNegative(where, map[string]int64{"requests": s.Requests, "errors": s.Errors, "failures": s.Failures,
		"bytes_sent": s.BytesSent, "bytes_received": s.BytesRecv}); err != nil {
		return err
	}
	if err := checkOK(where, s.Requests, s.Failures, s.LatencyOK, s.ServiceOK, s.Hist); err != nil {
		return err
	}
	return checkCounts(where, s.Requests, s.Errors, s.Failures, s.Codes, s.ErrorKind)
}

// checkOK holds the latency and the service time of the requests that
// did not fail, each where it was recorded, to them: its summary counts
// the requests less the failures, and comes with its histogram (a file
// of an earlier Surge has neither).
func checkOK(where string, requests, failures int64, latency, service *Latency, hist Histograms) error {
	if err := checkOKFigure(where, "latency_ok", requests-failures, latency, hist.LatencyOK); err != nil {
		return err
	}
	return checkOKFigure(where, "service_ok", requests-failures, service, hist.ServiceOK)
}

// checkOKFigure checks one of them, named as in the file.
func checkOKFigure(where, name string, succeeded int64, ok *Latency, hist string) error {
	switch {
	case ok == nil && hist == "":
		return nil
	case ok == nil || hist == "":
		return fmt.Errorf("%s: %s_ms and hist.%s go together, and only one of them is there", where, name, name)
	case ok.Sample != succeeded:
		return fmt.Errorf("%s.%s_ms.count is %d, but its requests less its failures are %d: it counts the requests that did not fail",
			where, name, ok.Sample, succeeded)
	}
	return nil
}

// checkInterval checks one interval and its endpoints' counts.
func checkInterval(where string, iv Interval) error {
	if err := nonNegative(where, map[string]int64{"requests": iv.Requests, "errors": iv.Errors, "failures": iv.Failures,
		"dropped": iv.Dropped, "vusers.created": iv.VUsers.Created, "vusers.completed": iv.VUsers.Completed,
		"vusers.failed": iv.VUsers.Failed}); err != nil {
		return err
	}
	if err := checkCounts(where, iv.Requests, iv.Errors, iv.Failures, iv.Codes, iv.ErrorKind); err != nil {
		return err
	}
	if err := checkOK(where, iv.Requests, iv.Failures, iv.LatencyOK, iv.ServiceOK, iv.Hist); err != nil {
		return err
	}
	for j, c := range iv.Endpoints {
		at := fmt.Sprintf("%s.endpoints[%d]", where, j)
		if err := nonNegative(at, map[string]int64{"requests": c.Requests, "errors": c.Errors, "failures": c.Failures}); err != nil {
			return err
		}
		if err := checkCounts(at, c.Requests, c.Errors, c.Failures, c.Codes, c.ErrorKind); err != nil {
			return err
		}
	}
	return nil
}

// checkCounts holds errors and failures to the requests, and the codes
// and errors by kind, where listed, to the responses and the errors.
func checkCounts(where string, requests, errors, failures int64, codes, kinds map[string]int64) error {
	switch {
	case errors > requests:
		return fmt.Errorf("%s.errors is %d, above its requests (%d)", where, errors, requests)
	case failures > requests:
		return fmt.Errorf("%s.failures is %d, above its requests (%d)", where, failures, requests)
	}
	if err := nonNegative(where+".codes", codes); err != nil {
		return err
	}
	if err := nonNegative(where+".errors_by_kind", kinds); err != nil {
		return err
	}
	if n := sumCounts(codes); len(codes) > 0 && n+errors != requests {
		return fmt.Errorf("%s.codes sum to %d and its errors are %d, but its requests are %d: responses by code plus errors must be the requests",
			where, n, errors, requests)
	}
	if n := sumCounts(kinds); len(kinds) > 0 && n != errors {
		return fmt.Errorf("%s.errors_by_kind sum to %d, but its errors are %d", where, n, errors)
	}
	return nil
}

// nonNegative refuses a negative count among fields (by name, checked
// in name order so that the error is always the same).
func nonNegative(where string, fields map[string]int64) error {
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		if n := fields[name]; n < 0 {
			return fmt.Errorf("%s.%s is %d: a count is never negative", where, name, n)
		}
	}
	return nil
}
