// Package results is Surge's results file: a versioned JSON document
// (schema "surge.results/v1", described in docs/results.md) built from the
// engine's metrics snapshots, written atomically and read back; and the
// stream ("surge.stream/v1"), the same results written a line a second as
// the test goes, which ReadFile reads too, whole or cut short.
//
// It owns the file format only. Percentiles are computed here for people
// and tools that read the JSON directly; the HDR histograms are kept
// beside them in the standard compressed encoding, so results of separate
// runs or execution segments can be merged exactly.
package results
