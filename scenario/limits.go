package scenario

import (
	"fmt"
	"time"
	"unicode/utf8"
)

// Limits of what one Surge process can run. Larger values are errors, not
// silently clamped: a test asking for more would measure the generator
// rather than the target. The command line uses the same limits.
const (
	// MaxArrivalRate bounds arrivals (or users spawned) per second. One
	// core sends about 90,000 requests a second on the lean path; a
	// million needs a dozen cores fully busy. Beyond it, run several
	// generators.
	MaxArrivalRate = 1_000_000
	// MaxUsers bounds looping users of the closed model. Each holds a
	// goroutine, its state (about 15 KB) and usually a connection.
	MaxUsers = 1_000_000
	// MaxDuration bounds a phase, a pause or a test: a month.
	MaxDuration = 30 * 24 * time.Hour
)

// CheckHeader reports a header whose name is not an HTTP token or whose
// value holds a control character other than tab. A CR or LF would end
// the field and start another one (header injection); the transports
// refuse such values anyway, so every request would fail.
func CheckHeader(name, value string) error {
	if name == "" {
		return fmt.Errorf("empty header name")
	}
	for i, r := range name {
		if r >= utf8.RuneSelf || !isTokenChar(name[i]) {
			return fmt.Errorf("header name %q: %q is not allowed in a header name", name, r)
		}
	}
	for i := 0; i < len(value); i++ {
		if c := value[i]; (c < ' ' && c != '\t') || c == 0x7f {
			return fmt.Errorf("header %s: the value holds the control character %q (a line break would inject a header)", name, c)
		}
	}
	return nil
}

// isTokenChar is true for the characters of an RFC 9110 token.
func isTokenChar(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	switch c {
	case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~':
		return true
	}
	return false
}
