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
// interval is about 6 KB, mostly its two encoded histograms, which over
// an hour is tens of megabytes. The file is unlinked as soon as it is
// made (on systems that allow it), so that nothing is left behind even
// if the process dies. Should the file fail, intervals stay in memory:
// never lost.
type spool struct {
	create func() (*os.File, error) // os.CreateTemp unless a test says otherwise
	f      *os.File
	w      *bufio.Writer
	enc    *json.Encoder
	mem    []Interval // intervals the file could not take
	n      int        // intervals in the file
	broken bool       // the file failed: everything from now on is in mem
}

func tempSpool() (*os.File, error) {
	f, err := os.CreateTemp("", "surge-intervals-*.jsonl")
	if err != nil {
		return nil, err
	}
	os.Remove(f.Name()) // an open file outlives its name; fails harmlessly where it does not
	return f, nil
}

// add appends one interval.
func (s *spool) add(iv Interval) {
	if !s.broken && s.f == nil {
		s.open()
	}
	if s.broken {
		s.mem = append(s.mem, iv)
		return
	}
	if err := s.enc.Encode(iv); err != nil {
		s.broken = true
		s.mem = append(s.mem, iv) // the file keeps its first n, whole
		return
	}
	s.n++
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
	s.f = f
	s.w = bufio.NewWriterSize(f, 64<<10)
	s.enc = json.NewEncoder(s.w)
}

// all reads every interval back, in order.
func (s *spool) all() ([]Interval, error) {
	out := make([]Interval, 0, s.n+len(s.mem))
	if s.n > 0 {
		if err := s.w.Flush(); err != nil {
			return nil, err
		}
		dec := json.NewDecoder(io.NewSectionReader(s.f, 0, 1<<62))
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

// close releases the file; the spool is empty afterwards.
func (s *spool) close() error {
	var err error
	if s.f != nil {
		err = s.f.Close()
		os.Remove(s.f.Name()) // where the name could not be removed at once
	}
	*s = spool{create: s.create}
	return err
}
