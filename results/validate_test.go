package results

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// countStats is a Stats with the counts the checks read.
func countStats(req, errs, fails int64, codes map[string]int64, kinds map[string]int64) Stats {
	return Stats{Requests: req, Errors: errs, Failures: fails, Codes: codes, ErrorKind: kinds}
}

// consistent is a small document that holds together: 10 requests, 1
// error, 3 failures, over two seconds.
func consistent() *Results {
	return &Results{Schema: Schema, Test: Test{Name: "t", ExpectStatus: "100-399"},
		Aggregate: Aggregate{Stats: countStats(10, 1, 3, map[string]int64{"200": 7, "500": 2}, map[string]int64{"ECONNREFUSED": 1}),
			VUsers: VUs{Created: 10, Completed: 10}},
		Endpoints: []Endpoint{
			{Name: "GET /a", Stats: countStats(6, 1, 2, map[string]int64{"200": 4, "500": 1}, map[string]int64{"ECONNREFUSED": 1})},
			{Name: "GET /b", Stats: countStats(4, 0, 1, map[string]int64{"200": 3, "500": 1}, nil)},
		},
		Intervals: []Interval{
			{Index: 0, DurationS: 1, Requests: 6, Errors: 1, Failures: 2, Codes: map[string]int64{"200": 4, "500": 1},
				ErrorKind: map[string]int64{"ECONNREFUSED": 1},
				Endpoints: []EndpointCount{{Requests: 4, Errors: 1, Failures: 1, Codes: map[string]int64{"200": 3},
					ErrorKind: map[string]int64{"ECONNREFUSED": 1}}, {Requests: 2, Failures: 1, Codes: map[string]int64{"200": 1, "500": 1}}}},
			{Index: 1, DurationS: 1, Requests: 4, Failures: 1, Codes: map[string]int64{"200": 3, "500": 1},
				Endpoints: []EndpointCount{{Requests: 2, Failures: 1}, {Requests: 2}}}, // as an earlier Surge wrote them
		},
	}
}

// documentChanges are edits of consistent(): those with a want break
// the document, and ReadFile must name what no longer holds together;
// the others describe documents that hold together (want "").
var documentChanges = []struct {
	name   string
	change func(r *Results)
	want   string // "" : read
}{
	{"as written", func(*Results) {}, ""},
	{"negative requests", func(r *Results) { r.Aggregate.Requests = -5 }, "aggregate.requests is -5: a count is never negative"},
	{"endpoints short of the aggregate", func(r *Results) {
		r.Endpoints[1].Stats = countStats(3, 0, 0, map[string]int64{"200": 3}, nil)
	}, "aggregate.requests is 10, but the endpoints' sum to 9"},
	{"endpoints' failures beyond the aggregate's", func(r *Results) { r.Endpoints[1].Failures = 2 },
		"aggregate.failures is 3, but the endpoints' sum to 4"},
	{"no intervals, endpoints short", func(r *Results) {
		r.Intervals = nil
		r.Endpoints[0].Errors, r.Endpoints[0].ErrorKind, r.Endpoints[0].Codes["500"] = 0, nil, 2
	}, "aggregate.errors is 1, but the endpoints' sum to 0"},
	{"negative bytes", func(r *Results) { r.Endpoints[1].BytesRecv = -1 }, "endpoints[1] (GET /b).bytes_received is -1"},
	{"negative code", func(r *Results) { r.Endpoints[1].Codes = map[string]int64{"200": 5, "500": -1} }, "endpoints[1] (GET /b).codes.500 is -1"},
	{"negative dropped", func(r *Results) { r.Aggregate.Dropped = -1 }, "aggregate.dropped is -1"},
	{"negative interval length", func(r *Results) { r.Intervals[1].DurationS = -1 },
		"intervals[1]: interval of second 1 lasts -1 s: a run's intervals last from 0 to a year"},
	{"endless interval", func(r *Results) { r.Intervals[0].DurationS = 1e300 }, "intervals[0]: interval of second 0 lasts 1e+300 s"},
	{"repeated second", func(r *Results) { r.Intervals[1].Index = 0 },
		"intervals[1]: interval of second 0 after second 0, want 1: a run records every second once, in order"},
	{"first second missing", func(r *Results) { r.Intervals[0].Index, r.Intervals[1].Index = 1, 2 },
		"intervals[0]: the first interval is second 1, want 0"},
	{"negative test length", func(r *Results) { r.Test.DurationS = -12 }, "test.duration_s is -12: a length of time is never negative"},
	{"negative span", func(r *Results) { r.Aggregate.SpanS = -3 }, "aggregate.span_s is -3"},
	{"negative interval vusers", func(r *Results) { r.Intervals[1].VUsers.Created = -2 }, "intervals[1] (second 1).vusers.created is -2"},
	{"failures above requests", func(r *Results) { r.Aggregate.Failures = 11 }, "aggregate.failures is 11, above its requests (10)"},
	{"errors above requests", func(r *Results) { r.Endpoints[0].Errors = 7 }, "endpoints[0] (GET /a).errors is 7, above its requests (6)"},
	{"codes short of requests", func(r *Results) { r.Aggregate.Codes["200"] = 6 },
		"aggregate.codes sum to 8 and its errors are 1, but its requests are 10"},
	{"codes beyond requests", func(r *Results) { r.Endpoints[1].Codes["404"] = 1 },
		"endpoints[1] (GET /b).codes sum to 5 and its errors are 0, but its requests are 4"},
	{"errors by kind", func(r *Results) { r.Aggregate.ErrorKind["ETIMEDOUT"] = 1 }, "aggregate.errors_by_kind sum to 2, but its errors are 1"},
	{"interval failures above requests", func(r *Results) { r.Intervals[0].Failures = 7 }, "intervals[0] (second 0).failures is 7, above its requests (6)"},
	{"interval codes", func(r *Results) { r.Intervals[1].Codes["200"] = 1000 }, "intervals[1] (second 1).codes sum to 1001"},
	{"interval endpoint codes", func(r *Results) { r.Intervals[0].Endpoints[0].Codes["200"] = 2 },
		"intervals[0] (second 0).endpoints[0].codes sum to 2 and its errors are 1, but its requests are 4"},
	{"negative interval endpoint", func(r *Results) { r.Intervals[1].Endpoints[1].Errors = -1 }, "intervals[1] (second 1).endpoints[1].errors is -1"},
	{"intervals above the aggregate", func(r *Results) {
		r.Intervals[1].Requests, r.Intervals[1].Codes["200"] = 1004, 1003
	}, "aggregate.requests is 10, but the intervals sum to 1010"},
	{"intervals' failures", func(r *Results) { r.Intervals[1].Failures = 0 }, "aggregate.failures is 3, but the intervals sum to 2"},
	{"latency_ok count", func(r *Results) {
		r.Endpoints[1].LatencyOK, r.Endpoints[1].Hist.LatencyOK = &Latency{Sample: 4}, "HISTFAAAA"
	}, "endpoints[1] (GET /b).latency_ok_ms.count is 4, but its requests less its failures are 3"},
	{"interval latency_ok count", func(r *Results) {
		r.Intervals[0].LatencyOK, r.Intervals[0].Hist.LatencyOK = &Latency{Sample: 6}, "HISTFAAAA"
	}, "intervals[0] (second 0).latency_ok_ms.count is 6, but its requests less its failures are 4"},
	{"latency_ok without its histogram", func(r *Results) { r.Aggregate.LatencyOK = &Latency{Sample: 7} },
		"aggregate: latency_ok_ms and hist.latency_ok go together"},
	{"hist.latency_ok without its figures", func(r *Results) { r.Intervals[1].Hist.LatencyOK = "HISTFAAAA" },
		"intervals[1] (second 1): latency_ok_ms and hist.latency_ok go together"},
	{"service_ok count", func(r *Results) {
		r.Endpoints[0].ServiceOK, r.Endpoints[0].Hist.ServiceOK = &Latency{Sample: 6}, "HISTFAAAA"
	}, "endpoints[0] (GET /a).service_ok_ms.count is 6, but its requests less its failures are 4"},
	{"interval service_ok count", func(r *Results) {
		r.Intervals[1].ServiceOK, r.Intervals[1].Hist.ServiceOK = &Latency{Sample: 4}, "HISTFAAAA"
	}, "intervals[1] (second 1).service_ok_ms.count is 4, but its requests less its failures are 3"},
	{"service_ok without its histogram", func(r *Results) { r.Aggregate.ServiceOK = &Latency{Sample: 7} },
		"aggregate: service_ok_ms and hist.service_ok go together"},
	{"hist.service_ok without its figures", func(r *Results) { r.Intervals[0].Hist.ServiceOK = "HISTFAAAA" },
		"intervals[0] (second 0): service_ok_ms and hist.service_ok go together"},
	// What holds in other documents.
	{"service_ok recorded", func(r *Results) {
		r.Aggregate.ServiceOK, r.Aggregate.Hist.ServiceOK = &Latency{Sample: 7}, "HISTFAAAA"
		r.Endpoints[1].ServiceOK, r.Endpoints[1].Hist.ServiceOK = &Latency{Sample: 3}, "HISTFAAAA"
	}, ""},
	{"latency_ok recorded", func(r *Results) {
		r.Aggregate.LatencyOK, r.Aggregate.Hist.LatencyOK = &Latency{Sample: 7}, "HISTFAAAA"
		r.Intervals[1].LatencyOK, r.Intervals[1].Hist.LatencyOK = &Latency{Sample: 3}, "HISTFAAAA"
	}, ""},
	{"no codes listed", func(r *Results) { r.Endpoints[0].Codes, r.Endpoints[0].ErrorKind = map[string]int64{}, nil }, ""},
	{"no intervals", func(r *Results) { r.Intervals = nil }, ""},
	{"no failures (before they were counted)", func(r *Results) {
		r.Aggregate.Failures, r.Endpoints[0].Failures, r.Endpoints[1].Failures = 0, 0, 0
		for i := range r.Intervals {
			r.Intervals[i].Failures = 0
			for j := range r.Intervals[i].Endpoints {
				r.Intervals[i].Endpoints[j].Failures = 0
			}
		}
	}, ""},
	{"a reset", func(r *Results) {
		r.Test.ResetAt = time.Date(2026, 12, 5, 0, 0, 1, 0, time.UTC)
		r.Intervals[0].BeforeReset = true
		r.Aggregate.Requests, r.Aggregate.Errors, r.Aggregate.Failures = 4, 0, 1
		r.Aggregate.Codes, r.Aggregate.ErrorKind = map[string]int64{"200": 3, "500": 1}, nil
		r.Endpoints[0].Stats = countStats(2, 0, 1, map[string]int64{"200": 1, "500": 1}, nil)
		r.Endpoints[1].Stats = countStats(2, 0, 0, map[string]int64{"200": 2}, nil)
	}, ""},
	{"a reset, the aggregate of the whole test", func(r *Results) {
		r.Test.ResetAt = time.Date(2026, 12, 5, 0, 0, 1, 0, time.UTC)
		r.Intervals[0].BeforeReset = true
	}, "aggregate.requests is 10, but the intervals from reset_at on (not before_reset) sum to 4"},
	{"an earlier Surge's merge with a share cut short", func(r *Results) {
		r.Test.CutShort = true
		r.Endpoints[0].Codes, r.Endpoints[0].ErrorKind = map[string]int64{"200": 2}, map[string]int64{}
	}, ""},
	{"codes short, not cut short", func(r *Results) { r.Endpoints[0].Codes = map[string]int64{"200": 2} },
		"endpoints[0] (GET /a).codes sum to 2"},
	{"codes beyond, cut short", func(r *Results) {
		r.Test.CutShort = true
		r.Endpoints[0].Codes["200"] = 40
	}, "endpoints[0] (GET /a).codes sum to 41"},
}

func TestReadRefusesADocumentThatDoesNotHoldTogether(t *testing.T) {
	for _, tt := range documentChanges {
		t.Run(tt.name, func(t *testing.T) {
			r := consistent()
			tt.change(r)
			data, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			got, err := decode("r.json", data)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tt.want == "":
				if r.Test.CutShort && len(r.Endpoints[0].Codes) == 1 && len(got.Endpoints[0].Codes) != 0 {
					t.Errorf("a partial sum of codes read as %v, want them left empty", got.Endpoints[0].Codes)
				}
			case err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "r.json: "):
				t.Fatalf("ReadFile = %v, want an error naming r.json and saying %q", err, tt.want)
			}
		})
	}
}

// A stream's end line is held to the same: its intervals are the lines.
func TestReadRefusesAStreamWhoseEndDoesNotHoldTogether(t *testing.T) {
	r := consistent()
	r.Aggregate.Requests = 12
	r.Aggregate.Codes["200"] = 9
	var b strings.Builder
	w, err := NewStreamWriter(&b, StreamHeader{Test: r.Test, Endpoints: []string{"GET /a", "GET /b"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, iv := range r.Intervals {
		_ = w.Interval(iv)
	}
	_ = w.End(r)
	if _, err := decode("s.jsonl", []byte(b.String())); err == nil || !strings.Contains(err.Error(), "aggregate.requests is 12, but the intervals sum to 10") {
		t.Fatalf("ReadFile = %v", err)
	}
}
