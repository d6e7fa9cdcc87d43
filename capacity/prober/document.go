package prober

import (
	"encoding/json"
	"math"

	"github.com/surge-dev/surge/capacity"
	"github.com/surge-dev/surge/scalability"
)

// Schema names the capacity document's format.
const Schema = "surge.capacity/v1"

// Document is a search written out as JSON (surge capacity -o).
type Document struct {
	Schema  string   `json:"schema"`
	Version string   `json:"surge_version,omitempty"`
	Target  string   `json:"target,omitempty"`
	Script  string   `json:"script,omitempty"`
	Mode    string   `json:"mode"` // "rate" (open model) or "users" (closed)
	Unit    string   `json:"unit"`
	SLO     []string `json:"slo"`
	// Warnings are what the SLO may not say as meant (capacity.Warnings),
	// here so that the file on its own says that its verdicts ignore
	// failures; absent when there are none.
	Warnings []string   `json:"warnings,omitempty"`
	Settings Settings   `json:"settings"`
	Probes   []ProbeDoc `json:"probes"`
	Loads    []ProbeDoc `json:"loads"` // each load judged on all its seconds, ascending
	Answer   AnswerDoc  `json:"answer"`
	Models   ModelsDoc  `json:"models"`
}

// Settings are the search's parameters, defaults filled in.
type Settings struct {
	Start         float64 `json:"start"`
	Max           float64 `json:"max,omitempty"`
	Growth        float64 `json:"growth"`
	Precision     float64 `json:"precision"`
	Confidence    float64 `json:"confidence"`
	MinAchieved   float64 `json:"min_achieved"`
	Extensions    int     `json:"extensions"`
	Confirmations int     `json:"confirmations"`
	Headroom      float64 `json:"headroom"`
	ProbeS        float64 `json:"probe_s"`
	WarmupS       float64 `json:"warmup_s"`
	CooldownS     float64 `json:"cooldown_s"`
	MaxCPU        float64 `json:"generator_max_cpu"`
	MaxLagMs      float64 `json:"generator_max_lag_ms"`
}

// ProbeDoc is one probe, or one load over all its probes.
type ProbeDoc struct {
	Load          float64        `json:"load"`
	Purpose       string         `json:"purpose,omitempty"`
	Verdict       string         `json:"verdict"`
	Seconds       int            `json:"seconds"`
	Offered       *float64       `json:"offered_per_s,omitempty"`
	Achieved      float64        `json:"achieved_per_s"`
	Requests      int64          `json:"requests"`
	Failures      int64          `json:"failures"`
	Throttled     int64          `json:"throttled_429"`
	MeanLatencyMs float64        `json:"mean_latency_ms"`
	MeanInFlight  float64        `json:"mean_in_flight"`
	Objectives    []ObjectiveDoc `json:"objectives"`
	// Trends are the queue check, on each latency it read (every
	// request's, or the successes' for an SLO on them); P50Trend and
	// P99Trend repeat the first, for readers of files without trends.
	Trends       []LatencyTrendDoc `json:"trends"`
	P50Trend     TrendDoc          `json:"p50_trend"`
	P99Trend     TrendDoc          `json:"p99_trend"`
	GeneratorCPU *float64          `json:"generator_cpu,omitempty"`
	GeneratorLag float64           `json:"generator_lag_ms"`
	Reasons      []string          `json:"reasons,omitempty"`
}

// ObjectiveDoc is one objective's reading with its interval. Objective
// is as the SLO wrote it. NoSuccess marks an objective on the latency of
// the requests that did not fail, in a probe where none did: its value is
// null, and it failed.
type ObjectiveDoc struct {
	Objective string   `json:"objective"`
	Value     *float64 `json:"value"`
	Low       *float64 `json:"low"`
	High      *float64 `json:"high"`
	Verdict   string   `json:"verdict"`
	NoSuccess bool     `json:"no_request_succeeded,omitempty"`
}

// LatencyTrendDoc is the queue check on one latency: "all" (every
// request's) or "ok" (the requests' that did not fail). Seconds is how
// many had a reading (for "ok", a success); Tested is false when too few
// did for the test to show a rise, so that up: false is not read as flat.
type LatencyTrendDoc struct {
	Latency string   `json:"latency"`
	Seconds int      `json:"seconds"`
	Tested  bool     `json:"tested"`
	Up      bool     `json:"up"`
	P50     TrendDoc `json:"p50"`
	P99     TrendDoc `json:"p99"`
}

// TrendDoc is a Mann-Kendall test.
type TrendDoc struct {
	SlopeMsPerS float64 `json:"slope_ms_per_s"`
	P           float64 `json:"p"`
	Rise        float64 `json:"rise"`
	Up          bool    `json:"up"`
}

// AnswerDoc is how the search ended.
type AnswerDoc struct {
	Outcome     string   `json:"outcome"`
	Max         float64  `json:"max_sustainable"`
	Fail        float64  `json:"first_failing,omitempty"`
	Precision   float64  `json:"precision,omitempty"`
	Recommended float64  `json:"recommended"`
	Binding     []string `json:"binding,omitempty"`
	Probes      int      `json:"probes"`
	Interrupted bool     `json:"interrupted,omitempty"`
}

// ModelsDoc holds the fitted models.
type ModelsDoc struct {
	LatencyKnee    *scalability.Knee `json:"latency_knee,omitempty"`
	ThroughputKnee *scalability.Knee `json:"throughput_knee,omitempty"`
	USL            *USLDoc           `json:"usl,omitempty"`
	USLError       string            `json:"usl_error,omitempty"`
	Little         *LittleDoc        `json:"littles_law,omitempty"`
}

// USLDoc is the USL fit with its intervals.
type USLDoc struct {
	Sigma      IntervalDoc `json:"sigma"`
	Kappa      IntervalDoc `json:"kappa"`
	Lambda     IntervalDoc `json:"lambda"`
	PeakN      IntervalDoc `json:"peak_concurrency"`
	PeakX      IntervalDoc `json:"peak_throughput"`
	Confidence float64     `json:"confidence"`
	Points     int         `json:"points"`
	Contention bool        `json:"contention_bound"`
}

// IntervalDoc is an estimate and its interval (null where unknown).
type IntervalDoc struct {
	Value *float64 `json:"value"`
	Low   *float64 `json:"low"`
	High  *float64 `json:"high"`
}

// LittleDoc is Little's law at the answer.
type LittleDoc struct {
	Throughput    float64  `json:"throughput_per_s"`
	MeanLatencyMs float64  `json:"mean_latency_ms"`
	Measured      float64  `json:"in_flight_measured"`
	Predicted     float64  `json:"in_flight_predicted"`
	Mismatch      *float64 `json:"mismatch"`
}

// num is a number for JSON, which has no NaN or infinity: those are null.
func num(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

// NewDocument writes a search's result as a document.
func NewDocument(res Result, o Options) Document {
	c := res.Config
	d := Document{Schema: Schema, Version: o.Version, Target: o.Meta.Target, Script: o.Meta.Script,
		Mode: "rate", Unit: c.Mode.Unit(), Settings: settingsOf(c, o)}
	if c.Mode == capacity.Users {
		d.Mode = "users"
	}
	for _, obj := range c.SLO {
		d.SLO = append(d.SLO, capacity.Name(obj))
	}
	d.Warnings = capacity.Warnings(c.SLO)
	for _, r := range res.Records {
		p := probeDoc(r.Judgement)
		p.Purpose = r.Purpose.String()
		d.Probes = append(d.Probes, p)
	}
	for _, l := range res.Levels {
		d.Loads = append(d.Loads, probeDoc(l))
	}
	a := res.Answer
	d.Answer = AnswerDoc{Outcome: a.Outcome.String(), Max: a.Max, Fail: a.Fail, Precision: a.Precision,
		Recommended: a.Recommended, Binding: names(a.Binding), Probes: len(res.Records), Interrupted: res.Interrupted}
	d.Models = modelsDoc(res.Models)
	return d
}

func settingsOf(c capacity.Config, o Options) Settings {
	return Settings{Start: c.Start, Max: c.Max, Growth: c.Growth, Precision: c.Precision, Confidence: c.Confidence,
		MinAchieved: c.MinAchieved, Extensions: c.Extensions, Confirmations: c.Confirmations, Headroom: c.Headroom,
		ProbeS: o.Probe.Seconds(), WarmupS: o.Warmup.Seconds(), CooldownS: o.Cooldown.Seconds(),
		MaxCPU: c.Generator.MaxCPU, MaxLagMs: c.Generator.MaxLagMs}
}

func probeDoc(j capacity.Judgement) ProbeDoc {
	p := ProbeDoc{Load: j.Load, Verdict: j.Verdict.String(), Seconds: j.Seconds, Achieved: j.Achieved,
		Requests: j.Requests, Failures: j.Failures, Throttled: j.Throttled, MeanLatencyMs: j.MeanLatencyMs,
		MeanInFlight: j.MeanInFlight, GeneratorCPU: num(j.Generator.CPU), GeneratorLag: j.Generator.LagMs,
		Reasons: names(j.Reasons)}
	for _, t := range j.Trends {
		p.Trends = append(p.Trends, LatencyTrendDoc{Latency: latencyName(t), Seconds: t.P50.Seconds, Tested: t.Tested(),
			Up: t.Up(), P50: trendDoc(t.P50), P99: trendDoc(t.P99)})
	}
	if len(p.Trends) > 0 {
		p.P50Trend, p.P99Trend = p.Trends[0].P50, p.Trends[0].P99
	}
	if j.Offered > 0 {
		p.Offered = num(j.Offered)
	}
	for _, e := range j.Estimates {
		p.Objectives = append(p.Objectives, ObjectiveDoc{Objective: capacity.Name(e.Objective), Value: num(e.Value),
			Low: num(e.Low), High: num(e.High), Verdict: e.Verdict.String(), NoSuccess: e.NoSuccess})
	}
	return p
}

// latencyName is how the document names a trend's latency.
func latencyName(t capacity.LatencyTrend) string {
	if t.OK {
		return "ok"
	}
	return "all"
}

func trendDoc(t capacity.Trend) TrendDoc {
	return TrendDoc{SlopeMsPerS: t.Slope, P: t.P, Rise: t.Rise, Up: t.Up}
}

func names(cs []capacity.Constraint) []string {
	var out []string
	for _, c := range cs {
		out = append(out, string(c))
	}
	return out
}

func modelsDoc(m capacity.Models) ModelsDoc {
	d := ModelsDoc{LatencyKnee: m.LatencyKnee, ThroughputKnee: m.ThroughputKnee, USLError: m.USLError}
	if f := m.USL; f != nil {
		d.USL = &USLDoc{Sigma: intervalDoc(f.Sigma), Kappa: intervalDoc(f.Kappa), Lambda: intervalDoc(f.Lambda),
			PeakN: intervalDoc(f.PeakN), PeakX: intervalDoc(f.PeakX), Confidence: f.Confidence, Points: f.Points,
			Contention: f.Model.ContentionBound()}
	}
	if l := m.Little; l != nil {
		d.Little = &LittleDoc{Throughput: l.Throughput, MeanLatencyMs: l.MeanLatency * 1000, Measured: l.Measured,
			Predicted: l.Predicted, Mismatch: num(l.Mismatch)}
	}
	return d
}

func intervalDoc(i scalability.Interval) IntervalDoc {
	return IntervalDoc{Value: num(i.Value), Low: num(i.Low), High: num(i.High)}
}

// JSON encodes the document, indented.
func (d Document) JSON() ([]byte, error) {
	b, err := json.MarshalIndent(d, "", "  ")
	return append(b, '\n'), err
}
