// Package payload owns Artillery's config.payload: loading CSV files with
// the options Artillery passes to its CSV parser (delimiter, header skip,
// empty-line skip, numeric casting), and handing each new virtual user its
// variables: one row picked at random or in sequence, or with loadAll the
// whole file as a list.
//
// Parsing follows csv-parse 4 as Artillery 2.0.34 configures it: quoting
// with "", a record delimiter fixed by the first line break, every record as
// long as the first, and malformed input reported with file and line. Cells
// that look numeric become float64 (see [Cast]).
//
// Memory is bounded by the file: a table keeps the file's bytes and one
// offset every few rows, and parses a row when a VU picks it (see
// [MaxFileBytes]; loadAll, which builds every row at once, is bounded by
// [MaxLoadAllBytes]).
//
// The package reads files only in [Load], through internal/fileinput (no
// devices, bounded size); it starts no goroutines and keeps no clock.
// Randomness comes from the caller's *rand.Rand. Besides that, it imports
// only the templating package (for JavaScript number conversion).
package payload
