package promexport

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"google.golang.org/protobuf/proto"
)

// bothHistogram is a native histogram with its classic buckets beside
// it, as client_golang's own histograms expose both: scrapers that take
// native histograms read the native part, the text format and remote
// write the classic one.
type bothHistogram struct {
	native  prometheus.Metric
	buckets []*dto.Bucket
}

func (h bothHistogram) Desc() *prometheus.Desc { return h.native.Desc() }

func (h bothHistogram) Write(m *dto.Metric) error {
	if err := h.native.Write(m); err != nil {
		return err
	}
	m.Histogram.Bucket = h.buckets
	return nil
}

// histogram makes the metric of one histogram; its created timestamp is
// the test's start, when its counts began.
func histogram(d *prometheus.Desc, h histData, start time.Time, labels ...string) prometheus.Metric {
	native, err := prometheus.NewConstNativeHistogram(d, h.count, h.sum, h.native, nil, 0, NativeSchema, 0, start, labels...)
	if err != nil {
		return prometheus.NewInvalidMetric(d, err)
	}
	buckets := make([]*dto.Bucket, len(ClassicBounds))
	for i, le := range ClassicBounds {
		buckets[i] = &dto.Bucket{UpperBound: proto.Float64(le), CumulativeCount: proto.Uint64(h.cumulative[i])}
	}
	return bothHistogram{native: native, buckets: buckets}
}
