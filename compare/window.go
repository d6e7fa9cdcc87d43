package compare

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/surge-dev/surge/results"
)

// Window selects the seconds of a run that count, the same on both runs,
// to leave out a warm-up and a cool-down. From is seconds after the start;
// To is seconds after the start when positive, seconds before the end when
// negative, and the end itself when zero. The zero Window is the whole run.
type Window struct {
	From, To float64
}

// ParseWindow reads "START..END": "30s..-10s" leaves out the first 30 s
// and the last 10 s, "30s.." only the first 30 s, "..2m" keeps the first
// two minutes. An empty string is the whole run.
func ParseWindow(s string) (Window, error) {
	if s == "" {
		return Window{}, nil
	}
	from, to, ok := strings.Cut(s, "..")
	if !ok {
		return Window{}, fmt.Errorf("window %q: want START..END, e.g. 30s..-10s", s)
	}
	var w Window
	var err error
	if w.From, err = windowBound(from); err != nil {
		return Window{}, fmt.Errorf("window %q: %w", s, err)
	}
	if w.To, err = windowBound(to); err != nil {
		return Window{}, fmt.Errorf("window %q: %w", s, err)
	}
	return w, w.check(s)
}

func windowBound(s string) (float64, error) {
	if s == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, err
	}
	return d.Seconds(), nil
}

func (w Window) check(s string) error {
	if w.From < 0 {
		return fmt.Errorf("window %q: the start counts from the beginning and cannot be negative", s)
	}
	if w.To > 0 && w.To <= w.From {
		return fmt.Errorf("window %q: the end must come after the start", s)
	}
	return nil
}

// String gives the window back in ParseWindow's form ("" for the whole run).
func (w Window) String() string {
	if w == (Window{}) {
		return ""
	}
	bound := func(v float64) string {
		if v == 0 {
			return ""
		}
		// v came from a duration, whose nanoseconds v·1e9 gives back only
		// once rounded (1.001s is 1000999999.9999999 ns); one of nearly
		// the largest rounds to 2^63, which converts to a negative one.
		d := time.Duration(math.MaxInt64)
		if ns := math.Round(v * float64(time.Second)); ns < math.MaxInt64 {
			d = time.Duration(ns)
		}
		if d.Seconds() == v {
			return d.String()
		}
		// Past 2^53 ns (104 days) a float of seconds is not every
		// nanosecond, nor is the nearest one always v again: its shortest
		// decimal is.
		return strconv.FormatFloat(v, 'f', -1, 64) + "s"
	}
	return bound(w.From) + ".." + bound(w.To)
}

// contains reports whether the interval lies entirely inside the window of
// a run of the given length in seconds. A small tolerance absorbs the
// rounding of durations written as decimal seconds.
func (w Window) contains(iv results.Interval, length float64) bool {
	const slack = 1e-6
	start := float64(iv.Index)
	end := start + iv.DurationS
	to := w.To
	if to <= 0 {
		to = length + w.To
	}
	return start >= w.From-slack && end <= to+slack
}
