package metrics

import (
	"sort"
	"sync"
)

// VUFailure is why VUs failed: one reason, how many VUs failed for it, and
// the first error message seen for it, so that a summary can say what went
// wrong rather than only how often.
type VUFailure struct {
	Reason string
	Count  int64
	First  string
}

// maxFailureReasons bounds the reasons kept: reasons are short codes, but
// a script could make up many; the rest are counted under "other".
const maxFailureReasons = 64

// maxFailureMessage bounds a kept message, so that an error quoting a
// large response cannot grow the results.
const maxFailureMessage = 512

// vuFailures counts failed VUs by reason. VUs end rarely compared with
// requests, so one mutex is enough.
type vuFailures struct {
	mu     sync.Mutex
	byName map[string]*VUFailure
}

func (f *vuFailures) add(reason, message string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.byName == nil {
		f.byName = map[string]*VUFailure{}
	}
	e := f.byName[reason]
	if e == nil && len(f.byName) >= maxFailureReasons {
		reason, message = "other", reason+": "+message
		e = f.byName[reason]
	}
	if e == nil {
		e = &VUFailure{Reason: reason, First: clip(message, maxFailureMessage)}
		f.byName[reason] = e
	}
	e.Count++
}

// list returns the reasons, most frequent first (then by name).
func (f *vuFailures) list() []VUFailure {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]VUFailure, 0, len(f.byName))
	for _, e := range f.byName {
		out = append(out, *e)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Reason < out[j].Reason
	})
	return out
}

func (f *vuFailures) reset() {
	f.mu.Lock()
	f.byName = nil
	f.mu.Unlock()
}

// clip cuts s to at most n bytes, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
