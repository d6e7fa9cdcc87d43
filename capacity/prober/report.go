package prober

import (
	"bytes"
	"io"

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
	p := report.CapacityPage{Title: title, Unit: res.Config.Mode.Unit(), Summary: Text(res), Max: res.Answer.Max,
		LatencyName: "mean", Warnings: capacity.Warnings(res.Config.SLO)}
	k, plotted := capacity.PlottedLatency(res.Config.SLO)
	if plotted {
		p.LatencyName, p.LatencyLimit = res.Config.SLO[k].Aggregation(), res.Config.SLO[k].Value
	}
	for _, l := range res.Levels {
		pt := report.CapacityPoint{Load: l.Load, Achieved: l.Achieved, Latency: l.MeanLatencyMs,
			Pass: l.Verdict == capacity.Pass, Unsure: l.Verdict == capacity.Unsure}
		if plotted {
			// NaN where the objective is on the requests that did not
			// fail and none did: no point, rather than another latency
			pt.Latency = l.Estimates[k].Value
		}
		p.Points = append(p.Points, pt)
	}
	if k := res.Models.LatencyKnee; k != nil {
		p.Knee = k.X
	}
	return p
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
