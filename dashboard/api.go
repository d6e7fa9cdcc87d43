package dashboard

import (
	"time"

	"github.com/surge-dev/surge/report"
	"github.com/surge-dev/surge/report/story"
	"github.com/surge-dev/surge/results"
)

// Controller starts and steers tests for the dashboard. Methods are called
// from HTTP handlers, concurrently.
type Controller interface {
	// Start begins a test in the background with the given load.
	Start(req StartRequest) error
	// Stop ends the running test gracefully (its results are kept).
	Stop()
	// SetLoad changes the load of the running test.
	SetLoad(req LoadRequest) error
	// ResetStats clears the statistics of the running test.
	ResetStats()
	// State describes what the controller is doing.
	State() State
}

// StartRequest is the form on the dashboard's start panel. Zero fields
// keep what the script or command line said.
type StartRequest struct {
	Users     int64   `json:"users,omitempty"`      // closed model
	SpawnRate float64 `json:"spawn_rate,omitempty"` // closed model
	Rate      float64 `json:"rate,omitempty"`       // open model
	Host      string  `json:"host,omitempty"`       // target base URL
	Duration  string  `json:"duration,omitempty"`   // e.g. "5m"; empty: until stopped
}

// LoadRequest changes a running test's load.
type LoadRequest struct {
	Users     *int64   `json:"users,omitempty"`
	SpawnRate *float64 `json:"spawn_rate,omitempty"`
	Rate      *float64 `json:"rate,omitempty"`
}

// State is what the controller reports about itself.
type State struct {
	Running   bool      `json:"running"`
	Model     string    `json:"model"` // "open" or "closed"
	Users     int64     `json:"users"`
	SpawnRate float64   `json:"spawn_rate"`
	Rate      float64   `json:"rate"`
	Host      string    `json:"host"`
	Script    string    `json:"script"`
	Started   time.Time `json:"started,omitzero"`
	Message   string    `json:"message,omitempty"` // e.g. why the last test ended
	// Form is what the start form is pre-filled with (Config.Form; nil:
	// nothing). Set by the dashboard; a Controller leaves it nil.
	Form *StartRequest `json:"form,omitempty"`
	// Seq numbers the dashboard's reads of the state, in order: of two
	// states a page receives, the one with the higher Seq is the newer.
	// Set by the dashboard; a Controller leaves it zero.
	Seq uint64 `json:"seq"`
}

// Frame is what the dashboard pushes every second.
type Frame struct {
	State     State            `json:"state"`
	Elapsed   float64          `json:"elapsed_s"`
	Final     bool             `json:"final"`
	Point     *report.Timeline `json:"point,omitempty"` // the interval that just closed
	Summary   Summary          `json:"summary"`
	Endpoints []EndpointRow    `json:"endpoints"`
	Errors    []ErrorGroup     `json:"errors"`                    // most frequent first
	ErrorsOut int              `json:"errors_left_out,omitempty"` // groups beyond the bound
	Verdicts  []report.Verdict `json:"verdicts,omitempty"`
	// Alerts are the latest changes of state of the test's alerts, oldest
	// first (at most MaxFrameAlerts); AlertsTotal counts them all.
	Alerts      []results.AlertEvent `json:"alerts,omitempty"`
	AlertsTotal int                  `json:"alerts_total,omitempty"`
	// Generator is the verdict of the generator's watch on itself so far,
	// and GeneratorWarning the sentence the page shows as a banner while
	// Surge itself is, or was, the bottleneck ("" when it kept up).
	Generator        *results.Generator `json:"generator,omitempty"`
	GeneratorWarning string             `json:"generator_warning,omitempty"`
	// Story is the scaling story (report/story) of a run that monitors a
	// Lambda function or an ECS/Fargate service: its last ten minutes.
	Story *story.Story `json:"story,omitempty"`
}

// MaxFrameAlerts bounds the alerts' changes of state a frame carries: an
// alarm that flaps for hours must not grow every frame.
const MaxFrameAlerts = 50

// Summary is the headline figures since the start (or the last reset).
type Summary struct {
	Requests int64 `json:"requests"`
	// Failures are errors plus responses outside the expected statuses;
	// errors are requests without a response. Rates are percentages of
	// Requests, as in the results file.
	Failures       int64    `json:"failures"`
	FailureRatePct float64  `json:"failure_rate_pct"`
	Errors         int64    `json:"errors"`
	ErrorRatePct   float64  `json:"error_rate_pct"`
	RPS            *float64 `json:"rps"` // the last second's; null once the test has ended
	P50            float64  `json:"p50_ms"`
	P95            float64  `json:"p95_ms"`
	P99            float64  `json:"p99_ms"`
	ActiveVUs      int64    `json:"active_vus"`
	InFlight       int64    `json:"in_flight"`
	Dropped        int64    `json:"dropped"`
	// Resent counts requests sent again after their reused connection was
	// lost (metrics.ResentCounter): the server may count Requests+Resent.
	Resent int64 `json:"resent"`
	// LatencyOK is the latency of the requests that did not fail (the
	// results file's latency_ok_ms): fast failures pull P50-P99 down.
	// Null when none succeeded (the page's "–", never 0).
	LatencyOK *Percentiles `json:"latency_ok"`
}

// Percentiles are latency percentiles, in milliseconds.
type Percentiles struct {
	P50 float64 `json:"p50_ms"`
	P95 float64 `json:"p95_ms"`
	P99 float64 `json:"p99_ms"`
}

// EndpointRow is one line of the statistics table, as Locust shows it.
type EndpointRow struct {
	Name           string   `json:"name"`
	Requests       int64    `json:"requests"`
	Failures       int64    `json:"failures"`
	FailureRatePct float64  `json:"failure_rate_pct"`
	Errors         int64    `json:"errors"`
	Median         float64  `json:"median_ms"`
	P95            float64  `json:"p95_ms"`
	P99            float64  `json:"p99_ms"`
	Max            float64  `json:"max_ms"`
	RPS            *float64 `json:"rps"`     // the last second's; null once the test has ended
	AvgRPS         float64  `json:"avg_rps"` // since the start (or the last reset)
	BytesRecv      int64    `json:"bytes_received"`
	BytesSent      int64    `json:"bytes_sent"`
	// LatencyOK is as Summary.LatencyOK, for this row.
	LatencyOK *Percentiles `json:"latency_ok"`
}

// failures is the number of requests the test counted as failed: errors
// plus responses outside its expected statuses, as recorded (see
// results.Stats), so that the dashboard shows the figure the summary, the
// report and the thresholds show.
func failures(s results.Stats) int64 { return s.Failures }
