package payload

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"

	"github.com/surge-dev/surge/internal/fileinput"
	"github.com/surge-dev/surge/templating"
)

// Order values.
const (
	OrderRandom   = "random"
	OrderSequence = "sequence"
)

// Options mirror the fields of one Artillery config.payload entry.
type Options struct {
	// Fields name the columns, in column order, that become VU variables.
	Fields []string
	// Order is OrderRandom (each VU gets a uniformly random row, with
	// replacement, drawn from the caller's source) or OrderSequence (rows
	// in file order, wrapping: the run numbered n gets row n mod rows, so
	// that the runs of a test get the rows in turn however they are split
	// among generators). Empty means random, except with LoadAll.
	Order string
	// SkipHeader drops the first record of the file.
	SkipHeader bool
	// Delimiter separates fields; default ",". It may be several bytes.
	Delimiter string
	// SkipEmptyLines drops lines with no characters; nil means true.
	SkipEmptyLines *bool
	// Cast turns numeric-looking cells into numbers (float64); nil means
	// true. See [Cast] for the exact rule.
	Cast *bool
	// LoadAll with Name gives every VU the whole file as one list variable
	// called Name (rows as objects keyed by Fields, or as lists of cells
	// when Fields is empty). As in Artillery this applies only when Order
	// is empty; with an explicit Order, Name holds one picked row instead.
	// Without Name nothing is set.
	LoadAll bool
	Name    string
}

// Memory budget. A table keeps the file's bytes as they are and an index
// of one offset for every markEvery rows (one byte a row); a VU's row is
// parsed from the bytes when it is picked. So a payload costs about its
// own size in memory, however many rows and cells it has.
const (
	// MaxFileBytes bounds a payload file.
	MaxFileBytes = 4 << 30
	// MaxLoadAllBytes bounds a loadAll payload, whose every row is built
	// as a value at load for all VUs to share: that takes about ten times
	// the file.
	MaxLoadAllBytes = 64 << 20
	markEvery       = 8
)

// Table is a loaded CSV payload. It is safe for concurrent use: nothing in
// it changes after loading.
type Table struct {
	source string
	opts   Options
	data   []byte  // the CSV, header included; never changed
	delim  []byte  // field delimiter
	rd     []byte  // record delimiter found in the file
	marks  []int64 // start of rows 0, markEvery, 2*markEvery, ...
	rows   int
	all    any // the LoadAll variable, built once
}

// Load reads a CSV file (a regular file or a pipe, at most MaxFileBytes).
// Errors name the file and, for malformed CSV, the line (see [LineError]).
func Load(path string, opts Options) (*Table, error) {
	data, err := fileinput.Read(path, MaxFileBytes, fileinput.Streams)
	if err != nil {
		return nil, fmt.Errorf("payload: %w", err)
	}
	return Parse(data, path, opts)
}

// Read reads CSV from r; source names it in errors.
func Read(r io.Reader, source string, opts Options) (*Table, error) {
	data, err := fileinput.ReadAll(r, "payload "+source, MaxFileBytes)
	if err != nil {
		return nil, err
	}
	return Parse(data, source, opts)
}

// Parse reads CSV held in memory; source names it in errors. A leading
// UTF-8 byte order mark is dropped. The table keeps data, which must not
// change afterwards.
func Parse(data []byte, source string, opts Options) (*Table, error) {
	if err := checkOptions(opts); err != nil {
		return nil, fmt.Errorf("payload %s: %w", source, err)
	}
	if opts.LoadAll && opts.Order == "" && opts.Name != "" && len(data) > MaxLoadAllBytes {
		return nil, fmt.Errorf("payload %s: loadAll builds every row for every VU at load; this file is %s, more than %s (use order: random or sequence, which keep one row per VU)",
			source, fileinput.Size(int64(len(data))), fileinput.Size(MaxLoadAllBytes))
	}
	delim := opts.Delimiter
	if delim == "" {
		delim = ","
	}
	t := &Table{source: source, opts: opts, data: bytes.TrimPrefix(data, []byte("\ufeff")), delim: []byte(delim)}
	if err := t.index(); err != nil {
		return nil, err
	}
	t.all = t.everything()
	return t, nil
}

// index checks the whole file (quoting, every row as wide as the first)
// and marks where rows start, keeping no field text.
func (t *Table) index() error {
	header, want := t.opts.SkipHeader, -1
	var width error
	p := newParser(t.data, t.delim, t.source, func(r record) bool {
		switch {
		case header:
			header = false
		case r.empty && isTrue(t.opts.SkipEmptyLines):
		case want >= 0 && r.width != want:
			width = &LineError{Source: t.source, Line: r.line,
				Msg: fmt.Sprintf("%d fields, but the first record has %d", r.width, want)}
			return false
		default:
			want = r.width
			if t.rows%markEvery == 0 {
				t.marks = append(t.marks, int64(r.start))
			}
			t.rows++
		}
		return true
	})
	if err := p.run(); err != nil {
		return err
	}
	t.rd = p.rd
	return width
}

// Row parses data row i (0 <= i < Len) from the file's bytes.
func (t *Table) Row(i int) []any {
	skip := i % markEvery
	var fields []string
	p := newParser(t.data[t.marks[i/markEvery]:], t.delim, t.source, nil)
	p.rd, p.keep = t.rd, skip == 0
	p.each = func(r record) bool {
		if r.empty && isTrue(t.opts.SkipEmptyLines) {
			return true
		}
		if skip > 0 {
			skip--
			p.keep = skip == 0
			return true
		}
		fields = r.fields
		return false
	}
	p.run() // the file was checked whole by index: no error here
	return convertRow(fields, isTrue(t.opts.Cast))
}

func checkOptions(opts Options) error {
	switch opts.Order {
	case "", OrderRandom, OrderSequence:
	default:
		return fmt.Errorf("order %q: want %q or %q", opts.Order, OrderRandom, OrderSequence)
	}
	if strings.ContainsAny(opts.Delimiter, "\"\r\n") {
		return fmt.Errorf("delimiter %q may not contain a quote or a line break", opts.Delimiter)
	}
	return nil
}

func isTrue(b *bool) bool { return b == nil || *b }

func convertRow(fields []string, cast bool) []any {
	row := make([]any, len(fields))
	for i, f := range fields {
		if cast {
			row[i] = Cast(f)
		} else {
			row[i] = f
		}
	}
	return row
}

// Cast converts a cell as csv-parse's cast option does: the cell becomes
// parseFloat(cell) when Number(cell) - parseFloat(cell) + 1 >= 0 in
// JavaScript. So "42", " 7 ", "1e3", ".5" and "007" (as 7) become numbers;
// "", "abc", "12abc", "Infinity" and "1e400" stay text; and, a csv-parse
// quirk, "0x1F", "0b1" and "0o7" become 0.
func Cast(cell string) any {
	n := templating.StringToNumber(cell)
	p := templating.ParseFloatPrefix(cell)
	if n-p+1 >= 0 {
		return p
	}
	return cell
}

// Len is the number of data rows.
func (t *Table) Len() int { return t.rows }

// Rows builds every data row; cells are strings or float64. It costs
// several times the file: for tests and small tables.
func (t *Table) Rows() [][]any {
	rows := make([][]any, t.rows)
	for i := range rows {
		rows[i] = t.Row(i)
	}
	return rows
}

// Source is the file name or label the table was loaded from.
func (t *Table) Source() string { return t.source }

// everything builds the LoadAll variable, or nil when it does not apply.
func (t *Table) everything() any {
	if !t.opts.LoadAll || t.opts.Order != "" || t.opts.Name == "" {
		return nil
	}
	all := make([]any, t.rows)
	for i := range all {
		row := t.Row(i)
		if len(t.opts.Fields) == 0 {
			all[i] = row
			continue
		}
		obj := make(map[string]any, len(t.opts.Fields))
		for j, f := range t.opts.Fields {
			if j < len(row) {
				obj[f] = row[j]
			}
		}
		all[i] = obj
	}
	return all
}

// row picks the row for run n, or nil for an empty table: row n in
// sequence, else one drawn from r (nil: the shared source).
func (t *Table) row(n uint64, r *rand.Rand) []any {
	rows := uint64(t.rows)
	switch {
	case rows == 0:
		return nil
	case t.opts.Order == OrderSequence:
		return t.Row(int(n % rows))
	case r == nil:
		return t.Row(int(rand.Uint64N(rows)))
	}
	return t.Row(int(r.Uint64N(rows)))
}

// PickInto sets the variables that run n (the caller's number for a VU's
// scenario run, from 0) gets from this payload: one row's fields (a field
// the row lacks is removed from vars, as it would be undefined), or with
// LoadAll the Name variable. A random row is drawn from r (nil: the
// shared source).
func (t *Table) PickInto(vars map[string]any, n uint64, r *rand.Rand) {
	if t.opts.LoadAll {
		t.pickAll(vars, n, r)
		return
	}
	row := t.row(n, r)
	for j, f := range t.opts.Fields {
		if j < len(row) {
			vars[f] = row[j]
		} else {
			delete(vars, f)
		}
	}
}

func (t *Table) pickAll(vars map[string]any, n uint64, r *rand.Rand) {
	switch {
	case t.opts.Name == "":
	case t.all != nil:
		vars[t.opts.Name] = t.all
	default:
		if row := t.row(n, r); row != nil {
			vars[t.opts.Name] = row
		} else {
			delete(vars, t.opts.Name)
		}
	}
}

// Pick returns the variables run n gets from this payload.
func (t *Table) Pick(n uint64, r *rand.Rand) map[string]any {
	vars := make(map[string]any, len(t.opts.Fields)+1)
	t.PickInto(vars, n, r)
	return vars
}

// Set is the list of payloads of one script, applied in order: a later
// payload's field overrides an earlier one with the same name.
type Set []*Table

// PickInto applies every payload to vars for run n.
func (s Set) PickInto(vars map[string]any, n uint64, r *rand.Rand) {
	for _, t := range s {
		t.PickInto(vars, n, r)
	}
}

// Pick returns the combined variables of every payload for run n.
func (s Set) Pick(n uint64, r *rand.Rand) map[string]any {
	vars := map[string]any{}
	s.PickInto(vars, n, r)
	return vars
}
