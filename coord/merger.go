package coord

import (
	"fmt"
	"maps"
	"slices"

	"github.com/surge-dev/surge/results"
)

// Merger adds the shares' seconds of a running test by their index in the
// plan. A second is merged once every share has sent it or gone past it
// (a share may have no interval for a second, e.g. after its last one),
// and merged seconds come out in index order, each once.
type Merger struct {
	endpoints []string                    // the merged order of the endpoints
	names     [][]string                  // each share's endpoint order
	sources   []string                    // each share's name, for errors
	monitor   int                         // the share whose target-side series are kept (-1: none)
	seen      []int                       // each share's last index (-1: none yet)
	ended     []bool                      // the share sent its last interval
	pending   map[int][]*results.Interval // by index, by share
}

// NewMerger merges the seconds of shares named by sources, each recording
// the endpoints names (in the order of its counts); the merged seconds
// keep the target-side series of share monitor (-1: none).
func NewMerger(sources []string, names [][]string, monitor int) *Merger {
	m := &Merger{names: names, sources: sources, monitor: monitor, seen: slices.Repeat([]int{-1}, len(sources)),
		ended: make([]bool, len(sources)), pending: map[int][]*results.Interval{}}
	for _, ns := range names {
		for _, n := range ns {
			if !slices.Contains(m.endpoints, n) {
				m.endpoints = append(m.endpoints, n)
			}
		}
	}
	return m
}

// Endpoints are the merged seconds' endpoints, in the order of their
// counts.
func (m *Merger) Endpoints() []string { return m.endpoints }

// Add takes share s's next second (last: the share sends no more) and
// returns the seconds it completes, merged. Seconds must come in index
// order per share.
func (m *Merger) Add(s int, iv results.Interval, last bool) ([]results.Interval, error) {
	if s < 0 || s >= len(m.seen) {
		return nil, fmt.Errorf("no share %d", s)
	}
	if m.ended[s] {
		return nil, fmt.Errorf("%s: a second (%d) after its last", m.sources[s], iv.Index)
	}
	if iv.Index <= m.seen[s] {
		return nil, fmt.Errorf("%s: second %d after second %d: out of order", m.sources[s], iv.Index, m.seen[s])
	}
	m.seen[s], m.ended[s] = iv.Index, last
	if m.pending[iv.Index] == nil {
		m.pending[iv.Index] = make([]*results.Interval, len(m.seen))
	}
	m.pending[iv.Index][s] = &iv
	return m.flush()
}

// End marks share s as done without a last second (it ended between two).
func (m *Merger) End(s int) ([]results.Interval, error) {
	m.ended[s] = true
	return m.flush()
}

// Done reports whether every share has ended and every second was merged.
func (m *Merger) Done() bool { return !slices.Contains(m.ended, false) && len(m.pending) == 0 }

// flush merges the seconds every share has sent or passed, in order.
func (m *Merger) flush() ([]results.Interval, error) {
	var out []results.Interval
	for len(m.pending) > 0 {
		t := slices.Min(slices.Collect(maps.Keys(m.pending)))
		if !m.complete(t) {
			break
		}
		iv, err := m.merge(m.pending[t])
		if err != nil {
			return out, err
		}
		delete(m.pending, t)
		out = append(out, iv)
	}
	return out, nil
}

// complete: no share can still send second t.
func (m *Merger) complete(t int) bool {
	for s := range m.seen {
		if !m.ended[s] && m.seen[s] < t {
			return false
		}
	}
	return true
}

func (m *Merger) merge(byShare []*results.Interval) (results.Interval, error) {
	var parts []results.IntervalPart
	for s, iv := range byShare {
		if iv != nil {
			parts = append(parts, results.IntervalPart{Source: m.sources[s], Endpoints: m.names[s], Interval: *iv, Monitor: s == m.monitor})
		}
	}
	return results.MergeInterval(parts, m.endpoints)
}
