package session

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"unicode"

	"github.com/surge-dev/surge/engine"
)

// errorLog prints, once per endpoint and kind, the first full message of
// an error: the dashboard shows only kinds, counts and fixed
// descriptions, never text the target sent.
type errorLog struct {
	w    io.Writer
	mu   sync.Mutex
	seen map[[2]string]bool
}

// maxLoggedKinds bounds the lines (and the memory) of errorLog.
const maxLoggedKinds = 200

// maxLoggedMessage bounds one printed message.
const maxLoggedMessage = 300

func newErrorLog(w io.Writer) *errorLog { return &errorLog{w: w, seen: map[[2]string]bool{}} }

// note prints the messages whose endpoint and kind were not seen before.
func (l *errorLog) note(msgs []engine.ErrorMessage) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, m := range msgs {
		key := [2]string{m.Endpoint, m.Kind}
		if l.seen[key] || len(l.seen) >= maxLoggedKinds {
			continue
		}
		l.seen[key] = true
		fmt.Fprintf(l.w, "dashboard: first %s error on %s: %s\n", m.Kind, m.Endpoint, printable(m.Message))
	}
}

// printable cuts a message that may quote the target and replaces
// control characters, so that it cannot steer the terminal.
func printable(s string) string {
	if len(s) > maxLoggedMessage {
		s = s[:maxLoggedMessage] + "…"
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return '\uFFFD'
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
}

// LockedWriter serialises writes to w from several goroutines: a
// coordinator and its own share (distributed) print notices at once, and
// a writer such as a bytes.Buffer is not safe for that.
func LockedWriter(w io.Writer) io.Writer { return &lockedWriter{w: w} }

// lockedWriter serialises writes from several goroutines (tests started
// from the page print from their own).
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
