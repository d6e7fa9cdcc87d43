package payload

import (
	"bytes"
	"fmt"
)

// record is one CSV record: where it starts in the data, the line it
// starts on, its width and, when the parser keeps them, its fields.
type record struct {
	start, line int
	width       int
	fields      []string
	empty       bool // a line with no characters at all (not even "")
}

// LineError is a malformed-CSV error at a line of a named source.
type LineError struct {
	Source string
	Line   int
	Msg    string
}

func (e *LineError) Error() string {
	return fmt.Sprintf("payload %s: line %d: %s", e.Source, e.Line, e.Msg)
}

// csvParser reads CSV the way csv-parse 4 does with Artillery's options:
// double-quote quoting with "" as the escape, a configurable field
// delimiter, and a record delimiter (\r\n, \n or \r) fixed by the first one
// met outside quotes. It hands each record to each, which returns false
// to stop; it keeps field text only while keep is set, so that indexing a
// large file allocates nothing per field.
type csvParser struct {
	data   []byte
	delim  []byte
	source string
	rd     []byte // record delimiter once discovered
	line   int
	keep   bool
	each   func(record) bool
	// special marks the bytes that may end a plain run: a quote, a line
	// break, the delimiter's first byte.
	special [256]bool

	fields     []string
	width      int
	field      []byte
	recStart   int
	recLine    int
	quoting    bool
	wasQuoting bool
	quoteLine  int
	stopped    bool
}

func newParser(data []byte, delim []byte, source string, each func(record) bool) *csvParser {
	p := &csvParser{data: data, delim: delim, source: source, line: 1, recLine: 1, each: each}
	p.special['"'], p.special['\r'], p.special['\n'] = true, true, true
	if len(delim) > 0 {
		p.special[delim[0]] = true
	}
	return p
}

// run parses the data to its end, or until each returns false.
func (p *csvParser) run() error {
	for pos := 0; pos < len(p.data) && !p.stopped; {
		n, err := p.step(pos)
		if err != nil {
			return err
		}
		pos += n
	}
	if p.stopped {
		return nil
	}
	if p.quoting {
		return p.errorf(p.quoteLine, "quoted field opened here is never closed")
	}
	if p.wasQuoting || p.width > 0 || len(p.field) > 0 {
		p.endRecord()
	}
	return nil
}

func (p *csvParser) errorf(line int, format string, args ...any) error {
	return &LineError{Source: p.source, Line: line, Msg: fmt.Sprintf(format, args...)}
}

// step consumes the input at pos and returns how many bytes it used.
func (p *csvParser) step(pos int) (int, error) {
	c := p.data[pos]
	if p.quoting {
		return p.stepQuoted(pos, c)
	}
	if n := p.plainRun(pos); n > 0 {
		p.field = append(p.field, p.data[pos:pos+n]...)
		return n, nil
	}
	if c == '"' {
		if len(p.field) != 0 || p.wasQuoting {
			return 0, p.errorf(p.line, "quote inside an unquoted field")
		}
		p.quoting, p.quoteLine = true, p.line
		return 1, nil
	}
	if n := p.recordDelimAt(pos); n > 0 {
		p.endRecord()
		p.line++
		p.recLine = p.line
		p.recStart = pos + n
		return n, nil
	}
	if len(p.delim) > 0 && bytes.HasPrefix(p.data[pos:], p.delim) {
		p.endField()
		return len(p.delim), nil
	}
	p.field = append(p.field, c)
	return 1, nil
}

// plainRun is the length of the bytes from pos that cannot end a field or
// a record or open a quote, taken in one step: a VU's row is parsed when
// it is picked, so this path is hot.
func (p *csvParser) plainRun(pos int) int {
	n := pos
	for n < len(p.data) && !p.special[p.data[n]] {
		n++
	}
	return n - pos
}

func (p *csvParser) stepQuoted(pos int, c byte) (int, error) {
	if c != '"' {
		p.countLine(pos, c)
		p.field = append(p.field, c)
		return 1, nil
	}
	next := pos + 1
	switch {
	case next < len(p.data) && p.data[next] == '"':
		p.field = append(p.field, '"')
		return 2, nil
	case next == len(p.data), p.recordDelimAt(next) > 0,
		len(p.delim) > 0 && bytes.HasPrefix(p.data[next:], p.delim):
		p.quoting, p.wasQuoting = false, true
		return 1, nil
	}
	return 0, p.errorf(p.line, "unexpected %q after a closing quote", p.data[next])
}

// countLine advances the line number on a line break inside quotes.
func (p *csvParser) countLine(pos int, c byte) {
	if c == '\n' || (c == '\r' && (pos+1 == len(p.data) || p.data[pos+1] != '\n')) {
		p.line++
	}
}

// recordDelimAt returns the length of the record delimiter at pos, or 0.
// The first line break found outside quotes decides which one the file uses.
func (p *csvParser) recordDelimAt(pos int) int {
	if p.rd == nil {
		switch {
		case bytes.HasPrefix(p.data[pos:], []byte("\r\n")):
			p.rd = []byte("\r\n")
		case p.data[pos] == '\r':
			p.rd = []byte("\r")
		case p.data[pos] == '\n':
			p.rd = []byte("\n")
		default:
			return 0
		}
	}
	if bytes.HasPrefix(p.data[pos:], p.rd) {
		return len(p.rd)
	}
	return 0
}

func (p *csvParser) endField() {
	if p.keep {
		p.fields = append(p.fields, string(p.field))
	}
	p.width++
	p.field = p.field[:0]
	p.wasQuoting = false
}

func (p *csvParser) endRecord() {
	empty := p.width == 0 && len(p.field) == 0 && !p.wasQuoting
	p.endField()
	if !p.each(record{start: p.recStart, line: p.recLine, width: p.width, fields: p.fields, empty: empty}) {
		p.stopped = true
	}
	p.fields, p.width = nil, 0
}
