package compare

import (
	"encoding/json"
	"io"
	"math"
)

// JSONSchema names the format WriteJSON writes.
const JSONSchema = "surge.compare/v1"

// WriteJSON writes every number of the reports (one per head run) as one
// JSON document. Numbers that do not exist (the ratio of a rate whose base
// is zero, the p-value of an untested row) are null.
func WriteJSON(w io.Writer, reports []*Report) error {
	doc := jsonDoc{Schema: JSONSchema}
	for _, r := range reports {
		doc.Comparisons = append(doc.Comparisons, toJSON(r))
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(doc)
}

type jsonDoc struct {
	Schema      string       `json:"schema"`
	Comparisons []jsonReport `json:"comparisons"`
}

type jsonReport struct {
	Base      RunInfo        `json:"base"`
	Head      RunInfo        `json:"head"`
	Window    string         `json:"window,omitempty"`
	Alpha     float64        `json:"alpha"`
	Resamples int            `json:"resamples"`
	Seed      uint64         `json:"seed"`
	Tests     int            `json:"tests"`
	Verdicts  map[string]int `json:"verdicts"`
	Rows      []jsonRow      `json:"rows"`
	Shifts    []jsonShift    `json:"latency_shift"`
	Monitored []jsonSeries   `json:"monitored,omitempty"`
	Notes     []string       `json:"notes,omitempty"`
	Findings  []string       `json:"findings,omitempty"`
}

type jsonSeries struct {
	Series    string          `json:"series"`
	Counter   bool            `json:"counter"`
	Base      jsonSeriesStats `json:"base"`
	Head      jsonSeriesStats `json:"head"`
	MeanRatio *float64        `json:"mean_ratio"`
	PeakRatio *float64        `json:"peak_ratio"`
}

type jsonSeriesStats struct {
	Samples int      `json:"samples"`
	Mean    *float64 `json:"mean"`
	Peak    *float64 `json:"peak"`
	Total   *float64 `json:"total,omitempty"`
}

func seriesJSON(m Monitored) jsonSeries {
	stats := func(st SeriesStats) jsonSeriesStats {
		out := jsonSeriesStats{Samples: st.Samples, Mean: num(st.Mean), Peak: num(st.Peak)}
		if m.Counter && st.Samples > 0 {
			out.Total = num(st.Total)
		}
		return out
	}
	return jsonSeries{Series: m.Series, Counter: m.Counter, Base: stats(m.Base), Head: stats(m.Head),
		MeanRatio: num(m.MeanRatio), PeakRatio: num(m.PeakRatio)}
}

type jsonRow struct {
	Scope        string   `json:"scope"`
	Metric       Metric   `json:"metric"`
	Unit         string   `json:"unit"`
	Base         *float64 `json:"base"`
	Head         *float64 `json:"head"`
	Ratio        *float64 `json:"ratio"`
	RatioLo      *float64 `json:"ratio_lo"`
	RatioHi      *float64 `json:"ratio_hi"`
	Diff         *float64 `json:"diff_pp,omitempty"`
	DiffLo       *float64 `json:"diff_lo_pp,omitempty"`
	DiffHi       *float64 `json:"diff_hi_pp,omitempty"`
	BaseRequests int64    `json:"base_requests"`
	HeadRequests int64    `json:"head_requests"`
	BaseSD       *float64 `json:"base_sd"`
	HeadSD       *float64 `json:"head_sd"`
	DesignEffect *float64 `json:"design_effect,omitempty"`
	DF           *float64 `json:"df"`
	P            *float64 `json:"p"`
	PAdjusted    *float64 `json:"p_holm"`
	Margin       float64  `json:"margin"`
	Verdict      Verdict  `json:"verdict"`
	MDE          *float64 `json:"mde,omitempty"`
	LengthFactor *float64 `json:"run_length_factor,omitempty"`
	Note         string   `json:"note,omitempty"`
}

type jsonShift struct {
	Scope string `json:"scope"`
	// Latency says which latency was tested: "all" (every request, as
	// every shift was before "ok" ones existed) or "ok".
	Latency      string   `json:"latency"`
	Superiority  *float64 `json:"p_head_slower"`
	Z            *float64 `json:"z"`
	P            *float64 `json:"p"`
	NaiveP       *float64 `json:"p_independent"`
	DesignEffect *float64 `json:"design_effect"`
}

func toJSON(r *Report) jsonReport {
	out := jsonReport{Base: r.Base, Head: r.Head, Window: r.Window, Alpha: r.Alpha, Resamples: r.Resamples,
		Seed: r.Seed, Tests: r.Tests, Notes: r.Notes, Findings: r.Findings, Verdicts: map[string]int{}}
	for _, v := range []Verdict{Regressed, Improved, NoChange, Inconclusive} {
		out.Verdicts[v.String()] = r.Count(v)
	}
	for _, row := range r.Rows {
		out.Rows = append(out.Rows, rowJSON(row))
	}
	for _, m := range r.Monitored {
		out.Monitored = append(out.Monitored, seriesJSON(m))
	}
	for _, s := range r.Shifts {
		out.Shifts = append(out.Shifts, jsonShift{Scope: s.Scope, Latency: s.Latency, Superiority: num(s.Superiority), Z: num(s.Z),
			P: num(s.P), NaiveP: num(s.NaiveP), DesignEffect: num(s.DesignEffect)})
	}
	return out
}

func rowJSON(r Row) jsonRow {
	j := jsonRow{Scope: r.Scope, Metric: r.Metric, Unit: unit(r.Metric), Base: num(r.Base), Head: num(r.Head),
		Ratio: num(r.Ratio), RatioLo: num(r.Lo), RatioHi: num(r.Hi), BaseRequests: r.BaseRequests,
		HeadRequests: r.HeadRequests, BaseSD: num(r.BaseSD), HeadSD: num(r.HeadSD), DF: num(r.DF),
		P: num(r.P), PAdjusted: num(r.PAdjusted), Margin: r.MarginWidth, Verdict: r.Verdict,
		MDE: positive(r.MDE), LengthFactor: positive(r.LengthFactor), Note: r.Note}
	if r.Metric.IsRate() {
		j.Diff, j.DiffLo, j.DiffHi, j.DesignEffect = num(r.Diff), num(r.DiffLo), num(r.DiffHi), positive(r.DesignEffect)
	}
	return j
}

// unit names the unit of a row's base and head.
func unit(m Metric) string {
	switch {
	case m.isLatency():
		return "ms"
	case m.IsRate():
		return "%"
	}
	return "req/s"
}

// num is v, or nil (null) when it is not a finite number.
func num(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

func positive(v float64) *float64 {
	if v <= 0 {
		return nil
	}
	return num(v)
}
