package prober

import (
	"bytes"
	"io"
	"math"

	"github.com/surge-dev/surge/alert"
	"github.com/surge-dev/surge/capacity"
	"github.com/surge-dev/surge/report"
	"github.com/surge-dev/surge/results"
)

// Text is the search as surge capacity prints it: every probe, then the
// answer and the models.
func Text(res Result) string {
	var b bytes.Buffer
	WriteProbeHeader(&b, res.Config)
	for i, r := range res.Records {
		WriteProbe(&b, i+1, res.Config, r)
	}
	WriteSummary(&b, res)
	return b.String()
}

// Page is the search as its HTML report shows it.
func Page(res Result, title string) report.CapacityPage {
	p := report.CapacityPage{Title: title, Unit: res.Config.Mode.Unit(), Summary: Text(res), Max: res.Answer.Max}
	name, limit, percentile := latencyObjective(res.Config)
	p.LatencyName, p.LatencyLimit = name, limit
	for _, l := range res.Levels {
		pt := report.CapacityPoint{Load: l.Load, Achieved: l.Achieved, Latency: math.NaN(),
			Pass: l.Verdict == capacity.Pass, Unsure: l.Verdict == capacity.Unsure}
		for _, e := range l.Estimates {
			if e.Objective.Metric.Name == alert.Latency && e.Objective.Stat.Kind == alert.Percentile && e.Objective.Stat.P == percentile {
				pt.Latency = e.Value
			}
		}
		if math.IsNaN(pt.Latency) {
			pt.Latency = l.MeanLatencyMs // an SLO without a percentile: plot the mean
		}
		p.Points = append(p.Points, pt)
	}
	if k := res.Models.LatencyKnee; k != nil {
		p.Knee = k.X
	}
	return p
}

// latencyObjective is the SLO's highest latency percentile: its name,
// limit and percentile ("mean", 0, -1 when it has none).
func latencyObjective(c capacity.Config) (string, float64, float64) {
	name, limit, p := "mean", 0.0, -1.0
	for _, o := range c.SLO {
		if o.Metric.Name == alert.Latency && o.Stat.Kind == alert.Percentile && o.Stat.P > p {
			name, limit, p = o.Aggregation(), o.Value, o.Stat.P
		}
	}
	return name, limit, p
}

// WriteReport writes the search's HTML report to path atomically.
func WriteReport(path string, res Result, title string) error {
	var b bytes.Buffer
	if err := report.WriteCapacity(&b, Page(res, title)); err != nil {
		return err
	}
	return results.WriteAtomic(path, b.Bytes())
}

func writePage(w io.Writer, res Result) error {
	return report.WriteCapacity(w, Page(res, ""))
}
