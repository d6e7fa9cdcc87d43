package monitor

import (
	"fmt"
	"io"
	"sort"
	"strings"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// Parse reads the Prometheus text format and returns one value per series,
// keyed "name" for series without labels and `name{k="v",…}` otherwise.
// Histograms and summaries contribute their _sum and _count.
func Parse(r io.Reader) (map[string]float64, error) {
	families, err := textToFamilies(r)
	if err != nil {
		return nil, fmt.Errorf("monitor: not Prometheus text: %w", err)
	}
	out := map[string]float64{}
	for name, f := range families {
		for _, m := range f.GetMetric() {
			addMetric(out, name, f.GetType(), m)
		}
	}
	return out, nil
}

// textToFamilies runs the text parser, whose panics on some malformed
// input (prometheus/common v0.72.0: a summary's series named in quotes
// after another family's) become errors: the page is the target's, and
// must not stop the run.
func textToFamilies(r io.Reader) (families map[string]*dto.MetricFamily, err error) {
	defer func() {
		if v := recover(); v != nil {
			families, err = nil, fmt.Errorf("the parser failed: %v", v)
		}
	}()
	p := expfmt.NewTextParser(model.UTF8Validation)
	return p.TextToMetricFamilies(r)
}

func addMetric(out map[string]float64, name string, t dto.MetricType, m *dto.Metric) {
	labels := labelText(m.GetLabel())
	switch t {
	case dto.MetricType_COUNTER:
		out[name+labels] = m.GetCounter().GetValue()
	case dto.MetricType_GAUGE:
		out[name+labels] = m.GetGauge().GetValue()
	case dto.MetricType_UNTYPED:
		out[name+labels] = m.GetUntyped().GetValue()
	case dto.MetricType_HISTOGRAM:
		out[name+"_sum"+labels] = m.GetHistogram().GetSampleSum()
		out[name+"_count"+labels] = float64(m.GetHistogram().GetSampleCount())
	case dto.MetricType_SUMMARY:
		out[name+"_sum"+labels] = m.GetSummary().GetSampleSum()
		out[name+"_count"+labels] = float64(m.GetSummary().GetSampleCount())
	}
}

func labelText(ls []*dto.LabelPair) string {
	if len(ls) == 0 {
		return ""
	}
	parts := make([]string, len(ls))
	for i, l := range ls {
		parts[i] = fmt.Sprintf("%s=%q", l.GetName(), l.GetValue())
	}
	sort.Strings(parts)
	return "{" + strings.Join(parts, ",") + "}"
}

// Select keeps the series asked for. A selector is a metric name (which
// keeps every labelled series of it, plus their sum under the bare name
// when there are several) or an exact series key. With no selectors,
// everything except the Go runtime's and the process's own series is kept.
func Select(all map[string]float64, selectors []string) map[string]float64 {
	out := map[string]float64{}
	if len(selectors) == 0 {
		for k, v := range all {
			if !strings.HasPrefix(k, "go_") && !strings.HasPrefix(k, "process_") && !strings.HasPrefix(k, "promhttp_") {
				out[k] = v
			}
		}
		return out
	}
	for _, sel := range selectors {
		selectOne(out, all, sel)
	}
	return out
}

func selectOne(out, all map[string]float64, sel string) {
	if v, ok := all[sel]; ok {
		out[sel] = v
		return
	}
	var sum float64
	var n int
	for k, v := range all {
		if strings.HasPrefix(k, sel+"{") {
			out[k] = v
			sum += v
			n++
		}
	}
	if n > 1 {
		out[sel] = sum
	}
}
