package promexport

import (
	"math"
	"sort"
	"strconv"

	dto "github.com/prometheus/client_model/go"
	"google.golang.org/protobuf/encoding/protowire"
)

// label is one label of a series.
type label struct{ name, value string }

// writeRequest is a remote-write 1.0 prometheus.WriteRequest, encoded:
// the remote API client takes any message that can size and marshal
// itself this way.
type writeRequest struct{ b []byte }

func (w writeRequest) Size() int { return len(w.b) }

func (w writeRequest) MarshalToSizedBuffer(dst []byte) (int, error) { return copy(dst, w.b), nil }

// encodeWriteRequest turns gathered families into one sample per series
// at ts (milliseconds), each series carrying the extra labels too.
// Histograms become their classic series (_bucket with le, _sum,
// _count), as a scrape of the text format sees them.
func encodeWriteRequest(fams []*dto.MetricFamily, extra []label, ts int64) writeRequest {
	var b []byte
	add := func(name string, labels []label, v float64) {
		b = protowire.AppendTag(b, 1, protowire.BytesType) // WriteRequest.timeseries
		b = protowire.AppendBytes(b, timeSeries(name, labels, v, ts))
	}
	for _, f := range fams {
		for _, m := range f.GetMetric() {
			labels := append(pairs(m.GetLabel()), extra...)
			switch f.GetType() {
			case dto.MetricType_COUNTER:
				add(f.GetName(), labels, m.GetCounter().GetValue())
			case dto.MetricType_GAUGE:
				add(f.GetName(), labels, m.GetGauge().GetValue())
			case dto.MetricType_UNTYPED:
				add(f.GetName(), labels, m.GetUntyped().GetValue())
			case dto.MetricType_HISTOGRAM:
				addHistogram(add, f.GetName(), labels, m.GetHistogram())
			}
		}
	}
	return writeRequest{b: b}
}

func addHistogram(add func(string, []label, float64), name string, labels []label, h *dto.Histogram) {
	for _, bk := range h.GetBucket() {
		add(name+"_bucket", withLabel(labels, bucketLabel, formatBound(bk.GetUpperBound())), float64(bk.GetCumulativeCount()))
	}
	add(name+"_bucket", withLabel(labels, bucketLabel, "+Inf"), float64(h.GetSampleCount()))
	add(name+"_sum", labels, h.GetSampleSum())
	add(name+"_count", labels, float64(h.GetSampleCount()))
}

// formatBound writes le as the text format does, so that both paths
// give a bucket the same label value.
func formatBound(v float64) string {
	if math.IsInf(v, 1) {
		return "+Inf"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

func pairs(lps []*dto.LabelPair) []label {
	out := make([]label, 0, len(lps)+3)
	for _, lp := range lps {
		out = append(out, label{lp.GetName(), lp.GetValue()})
	}
	return out
}

// sortedLabels sorts labels by name, in place.
func sortedLabels(labels []label) []label {
	sort.Slice(labels, func(i, j int) bool { return labels[i].name < labels[j].name })
	return labels
}

func withLabel(labels []label, name, value string) []label {
	return append(append(make([]label, 0, len(labels)+1), labels...), label{name, value})
}

// timeSeries encodes one TimeSeries: its labels sorted by name, as the
// protocol requires, __name__ among them, and one Sample.
func timeSeries(name string, labels []label, v float64, ts int64) []byte {
	var b []byte
	for _, l := range sortedLabels(withLabel(labels, "__name__", name)) {
		var lb []byte
		lb = protowire.AppendTag(lb, 1, protowire.BytesType)
		lb = protowire.AppendString(lb, l.name)
		lb = protowire.AppendTag(lb, 2, protowire.BytesType)
		lb = protowire.AppendString(lb, l.value)
		b = protowire.AppendTag(b, 1, protowire.BytesType) // TimeSeries.labels
		b = protowire.AppendBytes(b, lb)
	}
	var sb []byte
	sb = protowire.AppendTag(sb, 1, protowire.Fixed64Type) // Sample.value
	sb = protowire.AppendFixed64(sb, math.Float64bits(v))
	sb = protowire.AppendTag(sb, 2, protowire.VarintType) // Sample.timestamp
	sb = protowire.AppendVarint(sb, uint64(ts))
	b = protowire.AppendTag(b, 2, protowire.BytesType) // TimeSeries.samples
	return protowire.AppendBytes(b, sb)
}
