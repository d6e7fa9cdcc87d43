package h1

import (
	"net/http"
	"sync"
	"unsafe"
)

// headScratch is a head parser's working space, lent to it for one head
// at a time: a connection waiting for its response holds none, and ten
// thousand of them waiting on a slow server spared 0.45 KB each.
type headScratch struct {
	buf    []byte
	fields []field
	vals   [][]byte
	status http.Response // readLean's status line
}

// maxKeptScratch is the most a scratch goes back to the pool holding
// (keptSize): what an unusual head grew it to is not kept for every head
// after it.
const maxKeptScratch = 16 << 10

var scratches = sync.Pool{New: func() any {
	// Sized for a typical head at once: grown field by field they took
	// eight allocations for every new connection's first head.
	return &headScratch{buf: make([]byte, 0, 256), fields: make([]field, 0, 8)}
}}

// borrow lends p a working space for one head; giveBack returns it.
func (p *headParser) borrow() {
	s := scratches.Get().(*headScratch)
	p.buf, p.fields, p.vals = s.buf[:0], s.fields[:0], s.vals[:0]
	p.scratch = s
}

// giveBack returns the working space, with what it grew to unless that
// is more than maxKeptScratch, and leaves p holding none of it.
func (p *headParser) giveBack() {
	s := p.scratch
	clear(p.vals[:cap(p.vals)]) // they point into buf
	s.status = http.Response{}
	if keptSize(p.buf, p.fields, p.vals) <= maxKeptScratch {
		s.buf, s.fields, s.vals = p.buf[:0], p.fields[:0], p.vals[:0]
		scratches.Put(s)
	}
	p.buf, p.fields, p.vals, p.scratch = nil, nil, nil, nil
	if cap(p.long) > maxKeptScratch {
		p.long = nil
	}
}

// keptSize is the bytes a scratch with these slices would keep: a head
// of thousands of one-letter fields grows fields far past buf.
func keptSize(buf []byte, fields []field, vals [][]byte) int {
	return cap(buf) + cap(fields)*int(unsafe.Sizeof(field{})) + cap(vals)*int(unsafe.Sizeof([]byte(nil)))
}
