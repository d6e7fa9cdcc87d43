package metrics

import (
	"fmt"
	"sync"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// Histogram geometry shared by every histogram Surge writes. Values are
// microseconds.
const (
	histLowest  = 1
	histHighest = int64(time.Hour / time.Microsecond)
	histSigFigs = 3
)

// NewHistogram returns an empty histogram with Surge's geometry. Statistics
// hold sparse (packed) histograms: their size grows with the buckets in
// use, a few kilobytes for a typical latency distribution, where a dense
// one of this geometry takes 188 KB whatever it holds.
func NewHistogram() *hdr.PackedHistogram {
	return hdr.NewPacked(histLowest, histHighest, histSigFigs)
}

// newDense returns an empty dense histogram with Surge's geometry: fast to
// record into (an array increment), large, used only inside the recorder.
func newDense() *hdr.Histogram {
	return hdr.New(histLowest, histHighest, histSigFigs)
}

// micros converts a duration to a recordable value, clamped to the range.
func micros(d time.Duration) int64 {
	v := int64(d / time.Microsecond)
	return min(max(v, histLowest), histHighest)
}

// EncodeHistogram returns the standard compressed HdrHistogram encoding,
// base64 text, so that files written by Surge can be merged exactly and
// read by other HdrHistogram tools.
func EncodeHistogram(h *hdr.PackedHistogram) (string, error) {
	if h != nil && h.TotalCount() == 0 && standardGeometry(h) {
		return emptyEncoding()
	}
	return encodeHistogram(h)
}

// emptyEncoding is the encoding of every empty histogram of Surge's
// geometry, made once: a run encodes an empty service or interval
// histogram often.
var emptyEncoding = sync.OnceValues(func() (string, error) { return encodeHistogram(NewHistogram()) })

func standardGeometry(h *hdr.PackedHistogram) bool {
	return h.LowestTrackableValue() == histLowest && h.HighestTrackableValue() == histHighest &&
		h.SignificantFigures() == histSigFigs
}

// encodeHistogram encodes histograms of Surge's geometry itself (see
// encodeV2) and leaves the others to the library.
func encodeHistogram(h *hdr.PackedHistogram) (string, error) {
	if h != nil && standardGeometry(h) {
		if s, ok := encodeV2(h); ok {
			return s, nil
		}
	}
	b, err := h.Encode()
	if err != nil {
		return "", fmt.Errorf("encode histogram: %w", err)
	}
	return string(b), nil
}

// DecodeHistogram reverses EncodeHistogram.
func DecodeHistogram(s string) (*hdr.PackedHistogram, error) {
	h, err := hdr.DecodePacked([]byte(s))
	if err != nil {
		return nil, fmt.Errorf("decode histogram: %w", err)
	}
	if !standardGeometry(h) {
		// Rebuild in Surge's geometry so later merges stay exact.
		out := NewHistogram()
		out.Merge(h)
		return out, nil
	}
	return h, nil
}

// Percentile returns the value at quantile q (0..100) as a duration.
func Percentile(h *hdr.PackedHistogram, q float64) time.Duration {
	if h == nil || h.TotalCount() == 0 {
		return 0
	}
	return time.Duration(h.ValueAtPercentile(q)) * time.Microsecond
}
