package targets

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/surge-dev/surge/transport"
)

// Target is one request of a targets file.
type Target struct {
	Method string
	URL    string
	Header http.Header // canonical names; nil when the target sets none
	Body   []byte      // nil when the target has none
	// BodyFile is the path of an HTTP-format "@path" line ("": none).
	BodyFile string
	Line     int // the line the target starts on, from 1
}

// ReadFile returns the content of a body file named by an "@path" line.
type ReadFile func(path string) ([]byte, error)

// MaxLine bounds one line of a targets file: a JSON target carries its
// body inline, base64-encoded.
const MaxLine = 64 << 20

// Error is a targets file's error at a line.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// ErrNoTargets is returned for a file that holds no target.
var ErrNoTargets = errors.New("no targets")

// Parse reads every target of r, in either format; name is the file's
// name in errors. It fails on the first bad line, and on a file with no
// target.
func Parse(r io.Reader, name string, read ReadFile) ([]Target, error) {
	lines, err := readLines(r, name)
	if err != nil {
		return nil, err
	}
	p := &parser{file: name, lines: lines, read: read}
	var ts []Target
	if p.isJSON() {
		ts, err = p.jsonTargets()
	} else {
		ts, err = p.httpTargets()
	}
	if err != nil {
		return nil, err
	}
	if len(ts) == 0 {
		return nil, fmt.Errorf("%s: %w", name, ErrNoTargets)
	}
	return ts, nil
}

// readLines splits r into lines, without their line ends (LF or CRLF).
func readLines(r io.Reader, name string) ([]string, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), MaxLine)
	var lines []string
	for sc.Scan() {
		lines = append(lines, strings.TrimSuffix(sc.Text(), "\r"))
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, &Error{File: name, Line: len(lines) + 1, Msg: fmt.Sprintf("line longer than %d bytes", MaxLine)}
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return lines, nil
}

type parser struct {
	file  string
	lines []string
	read  ReadFile
}

func (p *parser) errorf(line int, format string, args ...any) error {
	return &Error{File: p.file, Line: line, Msg: fmt.Sprintf(format, args...)}
}

// isJSON reports whether the first line with content opens an object.
func (p *parser) isJSON() bool {
	for _, l := range p.lines {
		if l = strings.TrimSpace(l); l != "" && !isComment(l) {
			return strings.HasPrefix(l, "{")
		}
	}
	return false
}

func isComment(trimmed string) bool { return strings.HasPrefix(trimmed, "#") }

// checkURL accepts an absolute http(s) URL with a host, as Surge sends.
func checkURL(raw string) error {
	if why := transport.URLProblem(raw); why != "" {
		return fmt.Errorf("%q %s", raw, why)
	}
	return nil
}

// isMethod reports whether m is an HTTP method as Vegeta's request line
// takes one: upper-case ASCII letters.
func isMethod(m string) bool {
	return m != "" && strings.IndexFunc(m, func(r rune) bool { return r < 'A' || r > 'Z' }) < 0
}

// checkHeader refuses a header that could not be sent as written: a name
// that is not a token, or a CR, LF or NUL in the value (which would inject
// another header).
func checkHeader(name, value string) error {
	if name == "" || strings.ContainsFunc(name, func(r rune) bool {
		return r <= ' ' || r > '~' || strings.ContainsRune(`"(),/:;<=>?@[\]{}`, r)
	}) {
		return fmt.Errorf("header name %q is not a token", name)
	}
	if strings.ContainsAny(value, "\r\n\x00") {
		return fmt.Errorf("header %s: value holds a line break or NUL", name)
	}
	return nil
}

// addHeader adds name: value to t's header.
func (t *Target) addHeader(name, value string) {
	if t.Header == nil {
		t.Header = http.Header{}
	}
	t.Header.Add(name, value)
}
