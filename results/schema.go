package results

import (
	"strconv"
	"time"

	"github.com/surge-dev/surge/metrics"
)

// Schema identifies the format written by this package.
const Schema = "surge.results/v1"

// Results is one results file.
type Results struct {
	Schema    string     `json:"schema"`
	Version   string     `json:"surge_version,omitempty"`
	Test      Test       `json:"test"`
	Aggregate Aggregate  `json:"aggregate"`
	Endpoints []Endpoint `json:"endpoints"`
	Intervals []Interval `json:"intervals"`
	// Counters repeats the totals under Artillery's report names
	// (http.requests, http.codes.200, vusers.created, errors.ETIMEDOUT, …).
	Counters map[string]int64 `json:"counters"`
	// Alerts are the changes of state of the run's alerts, oldest first
	// (none: the field is left out).
	Alerts []AlertEvent `json:"alerts,omitempty"`
	// LoadChanges are the changes of the test's load while it ran (the
	// dashboard's "Change load"), oldest first (none: the field is left
	// out). The intervals show what each did; these say when and why.
	LoadChanges []LoadChange `json:"load_changes,omitempty"`
	// Plan identifies the load the test sent and the share of it this
	// file holds (absent from files written before segments existed).
	Plan *Plan `json:"plan,omitempty"`
	// Generator says whether Surge itself was the bottleneck, and when,
	// judged from the intervals' watch on the generator (absent from
	// files written before it existed).
	Generator *Generator `json:"generator,omitempty"`
}

// AlertEvent is one change of state of an alert during the run.
type AlertEvent struct {
	At    time.Time `json:"at"`  // the end of the period whose evaluation changed the state
	T     float64   `json:"t_s"` // the same, in seconds since the start of the test
	Alert string    `json:"alert"`
	From  string    `json:"from"` // OK, ALARM or INSUFFICIENT_DATA
	To    string    `json:"to"`
	// Value is the newest datapoint (the period that just ended), in Unit:
	// "ms" for latency, "%" for rates, "/s" for requests per second, ""
	// for counts and the target's series; absent when that period had
	// none.
	Value  *float64 `json:"value,omitempty"`
	Unit   string   `json:"unit,omitempty"`
	Reason string   `json:"reason"`
}

// LoadChange is one change of the test's load from outside its plan: the
// rest of the phases replaced by the load it names (docs/cli.md). It
// gives the load the test ran from then on, whichever fields the page
// sent: Rate for the open model, Users and SpawnRate for the closed one.
type LoadChange struct {
	At        time.Time `json:"at"`
	T         float64   `json:"t_s"`   // the same, in seconds since the start of the test
	By        string    `json:"by"`    // who changed it: "dashboard"
	Model     string    `json:"model"` // "open" or "closed"
	Rate      float64   `json:"rate,omitempty"`
	Users     int64     `json:"users,omitempty"`
	SpawnRate float64   `json:"spawn_rate,omitempty"`
}

// Describe is the load in a few words: "20/s", "50 users (10/s)".
func (c LoadChange) Describe() string {
	if c.Model == "closed" {
		s := strconv.FormatInt(c.Users, 10) + " users"
		if c.SpawnRate > 0 {
			s += " (" + strconv.FormatFloat(c.SpawnRate, 'g', 6, 64) + "/s)"
		}
		return s
	}
	return strconv.FormatFloat(c.Rate, 'g', 6, 64) + "/s"
}

// SinceStart sets each change's T from its At and the test's start.
func SinceStart(changes []LoadChange, started time.Time) []LoadChange {
	out := make([]LoadChange, len(changes))
	for i, c := range changes {
		c.T = max(0, c.At.Sub(started).Seconds())
		out[i] = c
	}
	return out
}

// Plan identifies the test's plan and this file's share of it, so that
// surge merge can check that files are the shares of one test.
type Plan struct {
	// SHA256 is engine.Test.PlanHash: the phases, the scenarios' names and
	// weights, the segment sequence and the seed.
	SHA256 string `json:"sha256"`
	// Arrivals is the open-model arrivals of the whole plan, all shares
	// together.
	Arrivals int64 `json:"arrivals"`
	// Sequence cuts the test into shares ("0:1/4:1/2:1"; "0:1" when the
	// test was not split); Segment is this file's share ("1/4:1/2"), or
	// "0:1" for the whole test, as a merged file is.
	Sequence string `json:"sequence"`
	Segment  string `json:"segment"`
	// Seed decided every scenario run's draws.
	Seed uint64 `json:"seed"`
	// Shares lists the files a merged document was made of, in sequence
	// order.
	Shares []Share `json:"shares,omitempty"`
	// Clocks are the shares' clocks as a coordinator measured them, in
	// sequence order (a test run through a coordinator only).
	Clocks []Clock `json:"clocks,omitempty"`
	// StartSkewMS is the spread of the shares' starts on the
	// coordinator's clock: the latest minus the earliest, in
	// milliseconds (a test run through a coordinator only).
	StartSkewMS *float64 `json:"start_skew_ms,omitempty"`
}

// Clock is one share's clock as the coordinator measured it.
type Clock struct {
	Segment string `json:"segment"`
	Worker  string `json:"worker"` // the worker's name and address
	// OffsetMS is the worker's clock minus the coordinator's, measured
	// over the round trip of RTTMS (so within RTTMS/2).
	OffsetMS float64 `json:"offset_ms"`
	RTTMS    float64 `json:"rtt_ms"`
	// Started is when the share's test started, on the coordinator's
	// clock; LateMS is how long after the start instant the coordinator
	// set.
	Started time.Time `json:"started"`
	LateMS  float64   `json:"late_ms"`
}

// Share is one file a merged document was made of.
type Share struct {
	Segment     string    `json:"segment"`
	Source      string    `json:"source"`
	Started     time.Time `json:"started"`
	DurationS   float64   `json:"duration_s"`
	Requests    int64     `json:"requests"`
	Interrupted bool      `json:"interrupted,omitempty"`
	// CutShort: the share's stream ended before its test (its process
	// was killed), so the merge holds only what the stream holds.
	CutShort bool `json:"cut_short,omitempty"`
}

// Test describes the run.
type Test struct {
	Name        string    `json:"name,omitempty"`
	Script      string    `json:"script,omitempty"`
	Target      string    `json:"target,omitempty"`
	Started     time.Time `json:"started"`
	Ended       time.Time `json:"ended,omitzero"` // zero (left out) in a stream's header line, before the test ends
	DurationS   float64   `json:"duration_s"`
	Interrupted bool      `json:"interrupted"`
	// ExpectStatus lists the statuses that are not failures, as
	// --expect-status takes them ("100-399" unless the test said
	// otherwise).
	ExpectStatus string `json:"expect_status,omitempty"`
	// ResetAt is when the statistics were last reset (the dashboard's
	// "Reset statistics"), if they were: the aggregate, the endpoints and
	// the counters cover only the time since, and the intervals before it
	// are marked before_reset.
	ResetAt time.Time `json:"reset_at,omitzero"`
	// AbortedBy names the rule that stopped the test (an alert with the
	// abort action, or a threshold with abortOnFail), if one did.
	AbortedBy string `json:"aborted_by,omitempty"`
	// StoppedBy names what in the test's own code ended it before its
	// plan did (a Go user's task that called StopTest), if anything did:
	// the test ran as to its end, and is not Interrupted.
	StoppedBy string `json:"stopped_by,omitempty"`
	// CutShort marks results read from a stream that ended before the
	// test did (the run was killed): they are rebuilt from the intervals
	// the stream holds, and Interrupted is set too.
	CutShort bool `json:"cut_short,omitempty"`
}

// Expected is the test's expected statuses in one canonical spelling
// ("200-204,304" however the flag spelled it), the default (100-399) for
// a file that names none, so that two tests' definitions of a failure
// can be compared.
func (t Test) Expected() string {
	if t.ExpectStatus == "" {
		return metrics.DefaultExpected().String()
	}
	set, err := metrics.ParseStatusSet(t.ExpectStatus)
	if err != nil {
		return t.ExpectStatus
	}
	return set.String()
}

// Stats are the statistics shared by the aggregate and each endpoint.
//
// Errors are requests that got no response (network and protocol errors,
// Artillery's errors.*); failures are errors plus responses whose status
// the test did not expect (by default every status from 400 on, as k6's
// http_req_failed counts them). Rates are percentages of requests.
type Stats struct {
	Requests       int64            `json:"requests"`
	Errors         int64            `json:"errors"`
	Failures       int64            `json:"failures"`
	FailureRatePct float64          `json:"failure_rate_pct"`
	ErrorRatePct   float64          `json:"error_rate_pct"`
	Codes          map[string]int64 `json:"codes"`
	ErrorKind      map[string]int64 `json:"errors_by_kind"`
	RPS            float64          `json:"rps"`
	BytesSent      int64            `json:"bytes_sent"`
	BytesRecv      int64            `json:"bytes_received"`
	Latency        Latency          `json:"latency_ms"`
	Service        Latency          `json:"service_ms"`
	// LatencyOK is Latency over the requests that did not fail (its count
	// is requests − failures); nil where it was not recorded: a file of
	// an earlier Surge, an endpoint of a stream cut short.
	LatencyOK *Latency `json:"latency_ok_ms,omitempty"`
	// ServiceOK is Service over the requests that did not fail, as
	// LatencyOK is Latency: how long a handler ran for its successes,
	// which a throttled run's instant 429s would pull down.
	ServiceOK *Latency   `json:"service_ok_ms,omitempty"`
	Hist      Histograms `json:"hist"`
}

// Latency summarises one histogram, in milliseconds.
type Latency struct {
	Min    float64 `json:"min"`
	Mean   float64 `json:"mean"`
	Stdev  float64 `json:"stdev"`
	P50    float64 `json:"p50"`
	P90    float64 `json:"p90"`
	P95    float64 `json:"p95"`
	P99    float64 `json:"p99"`
	P999   float64 `json:"p999"`
	Max    float64 `json:"max"`
	Sample int64   `json:"count"`
}

// Histograms holds HDR histograms (microseconds, 1 µs to 1 h, three
// significant digits) in the compressed base64 encoding. LatencyOK and
// ServiceOK, the latency and the service time of the requests that did
// not fail, are "" where they were not recorded.
type Histograms struct {
	Latency   string `json:"latency"`
	Service   string `json:"service"`
	LatencyOK string `json:"latency_ok,omitempty"`
	ServiceOK string `json:"service_ok,omitempty"`
}

// VUs counts virtual users.
type VUs struct {
	Created   int64 `json:"created"`
	Completed int64 `json:"completed"`
	Failed    int64 `json:"failed"`
	// FailedBy says why VUs failed, most frequent reason first, with the
	// first error message of each (aggregate only).
	FailedBy []VUFailure `json:"failed_by_reason,omitempty"`
}

// VUFailure is one reason VUs failed.
type VUFailure struct {
	Reason string `json:"reason"`
	Count  int64  `json:"count"`
	First  string `json:"first_message"`
}

// Aggregate is every endpoint together over the whole run, or since the
// statistics were last reset.
type Aggregate struct {
	Stats
	// SpanS is the time the aggregate and the endpoints cover, in seconds:
	// the test's duration, or the time since Test.ResetAt. Rates divide by
	// it.
	SpanS        float64 `json:"span_s"`
	Dropped      int64   `json:"dropped"`
	VUsers       VUs     `json:"vusers"`
	MaxActiveVUs int64   `json:"max_active_vus"`
	// Counters is Results.Counters as Artillery's --output report holds it
	// (aggregate.counters): only the counters that moved, plus
	// vusers.failed, so tools reading Artillery reports read this file too.
	Counters map[string]int64 `json:"counters"`
}

// Endpoint is one endpoint over the span of the aggregate.
type Endpoint struct {
	Name string `json:"name"`
	Stats
}

// Interval is one second of the run.
type Interval struct {
	Index int `json:"t"`
	// BeforeReset marks an interval before Test.ResetAt: the aggregate does
	// not include it. The intervals without it sum to the aggregate.
	BeforeReset    bool             `json:"before_reset,omitempty"`
	Start          time.Time        `json:"start"`
	DurationS      float64          `json:"duration_s"`
	Requests       int64            `json:"requests"`
	Errors         int64            `json:"errors"`
	Failures       int64            `json:"failures"`
	FailureRatePct float64          `json:"failure_rate_pct"`
	ErrorRatePct   float64          `json:"error_rate_pct"`
	Codes          map[string]int64 `json:"codes"`
	ErrorKind      map[string]int64 `json:"errors_by_kind,omitempty"`
	RPS            float64          `json:"rps"`
	Latency        Latency          `json:"latency_ms"`
	Service        Latency          `json:"service_ms"`
	LatencyOK      *Latency         `json:"latency_ok_ms,omitempty"` // as Stats.LatencyOK
	ServiceOK      *Latency         `json:"service_ok_ms,omitempty"` // as Stats.ServiceOK
	VUsers         VUs              `json:"vusers"`
	Dropped        int64            `json:"dropped"`
	ActiveVUs      int64            `json:"active_vus"`
	MaxActiveVUs   int64            `json:"max_active_vus"`
	InFlight       int64            `json:"in_flight"`
	Endpoints      []EndpointCount  `json:"endpoints"`
	// Counters holds named counters (expect results, failed captures, …)
	// under their Artillery names.
	Counters map[string]int64 `json:"counters,omitempty"`
	Hist     Histograms       `json:"hist"`
	// Monitor holds target-side series scraped during this interval, by
	// series name.
	Monitor map[string]float64 `json:"monitor,omitempty"`
	// Generator is the generator's watch on itself during this interval
	// (absent from files written before it existed).
	Generator *GeneratorInterval `json:"generator,omitempty"`
}

// EndpointCount is one endpoint inside one interval. Codes and ErrorKind
// (absent when empty, and from files and streams written before they
// were kept per interval) let an endpoint's codes and errors by kind be
// rebuilt from its seconds alone, as a stream cut short is.
type EndpointCount struct {
	Requests  int64            `json:"requests"`
	Errors    int64            `json:"errors"`
	Failures  int64            `json:"failures"`
	Codes     map[string]int64 `json:"codes,omitempty"`
	ErrorKind map[string]int64 `json:"errors_by_kind,omitempty"`
}

// codesKnown says whether c's codes and errors by kind are there, as
// Surge writes them since it keeps them per interval: every response
// under its code, every error under its kind. A count of an earlier
// Surge holds neither, which is only the same when there were no
// requests.
func (c EndpointCount) codesKnown() bool {
	return c.Requests == 0 || len(c.Codes) > 0 || len(c.ErrorKind) > 0
}
