package metrics

import (
	"testing"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// An empty histogram of Surge's geometry is encoded once: later ones cost
// no allocation (a fresh encoding builds a zlib compressor of ~800 KB),
// and the encoding decodes to an empty histogram of that geometry.
func TestEmptyHistogramEncodingIsMadeOnce(t *testing.T) {
	empty := NewHistogram()
	first, err := EncodeHistogram(empty)
	if err != nil {
		t.Fatal(err)
	}
	if allocs := testing.AllocsPerRun(20, func() { _, _ = EncodeHistogram(empty) }); allocs != 0 {
		t.Fatalf("encoding an empty histogram allocates %v times, want 0", allocs)
	}
	h, err := DecodeHistogram(first)
	if err != nil || h.TotalCount() != 0 || !standardGeometry(h) {
		t.Fatalf("decoded %v samples (geometry %v), err %v", h.TotalCount(), standardGeometry(h), err)
	}
}

// Histograms that are not empty, or not of Surge's geometry, are encoded
// from their own contents.
func TestNonEmptyOrForeignHistogramsAreEncodedThemselves(t *testing.T) {
	one := NewHistogram()
	if err := one.RecordValue(1500); err != nil {
		t.Fatal(err)
	}
	foreign := hdr.NewPacked(1, 1000, 2)
	for name, h := range map[string]*hdr.PackedHistogram{"one sample": one, "foreign geometry": foreign} {
		s, err := EncodeHistogram(h)
		if err != nil {
			t.Fatal(err)
		}
		back, err := hdr.DecodePacked([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		if back.TotalCount() != h.TotalCount() || back.HighestTrackableValue() != h.HighestTrackableValue() {
			t.Fatalf("%s: decoded %d samples up to %d, want %d up to %d", name, back.TotalCount(),
				back.HighestTrackableValue(), h.TotalCount(), h.HighestTrackableValue())
		}
	}
}
