package metrics

import (
	"fmt"
	"strconv"
	"strings"
)

// Status codes a StatusSet can hold. HTTP defines 100 to 599 (RFC 9110
// section 15); a response outside that range is a protocol error, never a
// status.
const (
	MinStatus = 100
	MaxStatus = 599
)

// StatusSet is a set of expected HTTP status codes: a response whose code
// is not in it counts as a failure. The zero value holds nothing; use
// DefaultExpected for the default.
type StatusSet struct {
	bits [(MaxStatus + 64) / 64]uint64
}

// DefaultExpected is the set a test expects unless told otherwise: 100 to
// 399, as k6's http_req_failed does, so that every 4xx and 5xx response is
// a failure.
func DefaultExpected() StatusSet {
	var s StatusSet
	s.AddRange(MinStatus, 399)
	return s
}

// Has reports whether code is expected.
func (s *StatusSet) Has(code int) bool {
	if code < MinStatus || code > MaxStatus {
		return false
	}
	return s.bits[code/64]&(1<<(code%64)) != 0
}

// AddRange adds the codes lo to hi, both included.
func (s *StatusSet) AddRange(lo, hi int) {
	for c := max(lo, MinStatus); c <= min(hi, MaxStatus); c++ {
		s.bits[c/64] |= 1 << (c % 64)
	}
}

// ParseStatusSet reads a comma-separated list of codes ("200,204"),
// ranges ("200-299") and classes ("2xx"), as --expect-status takes it.
// An empty item ("200,,201", "200,") is an error, not skipped: it is
// most likely a code lost in editing.
func ParseStatusSet(spec string) (StatusSet, error) {
	var s StatusSet
	if strings.TrimSpace(spec) == "" {
		return s, fmt.Errorf("expected statuses: empty list")
	}
	for i, item := range strings.Split(spec, ",") {
		if strings.TrimSpace(item) == "" {
			return StatusSet{}, fmt.Errorf("expected statuses: %q: item %d is empty", spec, i+1)
		}
		if err := s.Add(item); err != nil {
			return StatusSet{}, fmt.Errorf("expected statuses: %w", err)
		}
	}
	return s, nil
}

// Add adds one item of a list: a code ("404"), a range ("200-299") or a
// class ("2xx").
func (s *StatusSet) Add(item string) error {
	if strings.TrimSpace(item) == "" {
		return fmt.Errorf("empty item: want a status code, range or class")
	}
	lo, hi, err := parseStatusItem(strings.TrimSpace(item))
	if err != nil {
		return err
	}
	s.AddRange(lo, hi)
	return nil
}

// parseStatusItem reads one code, range or class.
func parseStatusItem(item string) (lo, hi int, err error) {
	if len(item) == 3 && (item[1] == 'x' || item[1] == 'X') && (item[2] == 'x' || item[2] == 'X') {
		d := int(item[0] - '0')
		if d < 1 || d > 5 {
			return 0, 0, fmt.Errorf("%q: a status class is 1xx to 5xx", item)
		}
		return d * 100, d*100 + 99, nil
	}
	a, b, isRange := strings.Cut(item, "-")
	if lo, err = parseStatusCode(a, item); err != nil {
		return 0, 0, err
	}
	if !isRange {
		return lo, lo, nil
	}
	if hi, err = parseStatusCode(b, item); err != nil {
		return 0, 0, err
	}
	if hi < lo {
		return 0, 0, fmt.Errorf("%q: range ends before it starts", item)
	}
	return lo, hi, nil
}

// parseStatusCode reads a code written as HTTP writes it, three digits:
// strconv.Atoi alone would also take +200 and 0200, which are typos or
// another notation, not a status line's code.
func parseStatusCode(s, item string) (int, error) {
	s = strings.TrimSpace(s)
	n, err := strconv.Atoi(s)
	if err != nil || len(s) != 3 || s[0] < '0' || s[0] > '9' || n < MinStatus || n > MaxStatus {
		return 0, fmt.Errorf("%q: want status codes of three digits from %d to %d, ranges like 200-299 or classes like 2xx",
			item, MinStatus, MaxStatus)
	}
	return n, nil
}

// String lists the set as ranges, e.g. "100-399,404".
func (s StatusSet) String() string {
	var parts []string
	for c := MinStatus; c <= MaxStatus; c++ {
		if !s.Has(c) {
			continue
		}
		end := c
		for end+1 <= MaxStatus && s.Has(end+1) {
			end++
		}
		if end == c {
			parts = append(parts, strconv.Itoa(c))
		} else {
			parts = append(parts, strconv.Itoa(c)+"-"+strconv.Itoa(end))
		}
		c = end
	}
	return strings.Join(parts, ",")
}
