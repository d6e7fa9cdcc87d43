package results

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"os"
)

// spool keeps intervals in a temporary file, one JSON document per line,
// so that a long test holds none of them in memory: each second's
// interval is about 6 KB, mostly its encoded histograms, which over an
// hour is tens of megabytes. The first earlyMax intervals stay in memory
// and the file is made only for the one after: a test of a few seconds
// (a one-request run, a smoke test) has no file to make, write and read
// back. The file is unlinked as soon as it is
// made (on systems that allow it), so that nothing is left behind even
// if the process dies. Should the file fail, intervals stay in memory:
// never lost.
//
// Lines go through a buffer that the spool flushes itself, never the
// buffer on its own, so that when a write fails (a full disk, say) the
// spool knows which intervals the file holds whole: those before the
// last good flush. The ones buffered since are kept in memory until a
// flush succeeds, at most a buffer's worth.
type spool struct {
	create  func() (*os.File, error) // os.CreateTemp unless a test says otherwise
	bufSize int                      // of w; 64 KB unless a test says otherwise

	f       *os.File
	name    string // to remove at close: set only where it could not be unlinked at once
	w       *bufio.Writer
	size    int64      // bytes written to w
	good    int64      // bytes known to be in the file: whole lines
	n       int        // intervals in those bytes
	pending []Interval // in w since the last good flush, in order
	mem     []Interval // intervals the file could not take, after its n
	broken  bool       // the file failed: everything from now on is in mem
	early   []Interval // the first intervals, before the file is made
}

// earlyMax is how many intervals the spool holds before it makes its
// file: a bound on memory, about 50 KB of typical intervals.
const earlyMax = 8

func tempSpool() (*os.File, error) {
	return os.CreateTemp("", "surge-intervals-*.jsonl")
}

// add appends one interval.
func (s *spool) add(iv Interval) {
	if !s.broken && s.f == nil {
		if len(s.early) < earlyMax {
			s.early = append(s.early, iv)
			return
		}
		s.open()
		held := s.early
		s.early = nil
		for _, e := range held {
			s.toFile(e)
		}
	}
	s.toFile(iv)
}

// toFile appends one interval to the file, or to memory once the file
// has failed.
func (s *spool) toFile(iv Interval) {
	if !s.broken {
		if err := s.write(iv); err == nil {
			return
		}
		s.fail()
	}
	s.mem = append(s.mem, iv)
}

func (s *spool) open() {
	create := s.create
	if create == nil {
		create = tempSpool
	}
	f, err := create()
	if err != nil {
		s.broken = true
		return
	}
	// An open file outlives its name; where it cannot (Windows), close
	// removes the name instead.
	if os.Remove(f.Name()) != nil {
		s.name = f.Name()
	}
	size := s.bufSize
	if size <= 0 {
		size = 64 << 10
	}
	s.f, s.w = f, bufio.NewWriterSize(f, size)
}

// write buffers one line, flushing first if it would not fit, so that the
// buffer never flushes part of its contents behind the spool's back.
func (s *spool) write(iv Interval) error {
	line, err := json.Marshal(iv)
	if err != nil {
		return err
	}
	line = append(line, '\n')
	if len(line) > s.w.Available() && s.w.Buffered() > 0 {
		if err := s.flush(); err != nil {
			return err
		}
	}
	// A line longer than the whole buffer goes straight to the file; if
	// that fails, this interval is not pending yet and add keeps it.
	if _, err := s.w.Write(line); err != nil {
		return err
	}
	s.size += int64(len(line))
	s.pending = append(s.pending, iv)
	return nil
}

// flush writes the buffer out; on success everything written so far is
// in the file, whole.
func (s *spool) flush() error {
	if err := s.w.Flush(); err != nil {
		return err
	}
	s.good, s.n = s.size, s.n+len(s.pending)
	s.pending = nil
	return nil
}

// fail gives up on the file: what it holds whole stays readable, and the
// intervals it may not hold move to memory, ahead of any that follow.
func (s *spool) fail() {
	s.broken = true
	s.mem = append(s.mem, s.pending...)
	s.pending = nil
}

// all reads every interval back, in order.
func (s *spool) all() ([]Interval, error) {
	if !s.broken && s.w != nil && s.flush() != nil {
		s.fail()
	}
	if s.f == nil && !s.broken {
		return append([]Interval(nil), s.early...), nil // no file yet
	}
	out := make([]Interval, 0, s.n+len(s.mem))
	if s.n > 0 {
		// Only the good bytes: after a failed flush the file may end in
		// part of a line.
		dec := json.NewDecoder(io.NewSectionReader(s.f, 0, s.good))
		for range s.n {
			var iv Interval
			if err := dec.Decode(&iv); err != nil {
				return nil, errors.Join(errors.New("results: reading spooled intervals back"), err)
			}
			out = append(out, iv)
		}
	}
	return append(out, s.mem...), nil
}

// close releases the file; the spool is empty afterwards and may be used
// again.
func (s *spool) close() error {
	var err error
	if s.f != nil {
		err = s.f.Close()
	}
	if s.name != "" {
		if rerr := os.Remove(s.name); rerr != nil && !errors.Is(rerr, os.ErrNotExist) {
			err = errors.Join(err, rerr)
		}
	}
	*s = spool{create: s.create, bufSize: s.bufSize}
	return err
}
