package cli

import (
	"bytes"
	"fmt"
	goio "io"
	"net/http"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/pflag"
	"github.com/surge-dev/surge/flow"
	"github.com/surge-dev/surge/internal/decimal"
	"github.com/surge-dev/surge/internal/fileinput"
	"github.com/surge-dev/surge/scenario"
	"github.com/surge-dev/surge/session"
	"github.com/surge-dev/surge/targets"
)

// quickHabits are the flags of surge quick that ab, hey and Vegeta users
// bring with them: a request count, a body file, a targets file, and a
// rate of "as fast as possible".
type quickHabits struct {
	requests    int64  // -n: end after exactly this many requests (0: no count)
	bodyFile    string // --body-file: the body's file (hey's -D)
	targetsFile string // --targets: a Vegeta targets file ("-": standard input)
	rateMax     bool   // --rate max
}

// defaultMaxConnections is --rate max's users and connections when
// --connections is not given: hey's default concurrency.
const defaultMaxConnections = 50

// maxTargetsBytes bounds a targets file, which holds JSON bodies inline.
const maxTargetsBytes = 4 * maxBodyBytes

func addHabitFlags(f *pflag.FlagSet, h *quickHabits) {
	f.Int64VarP(&h.requests, "requests", "n", 0, "end the test after exactly this many requests, in either model (ab's and hey's -n; "+
		"with --duration too, whichever comes first; without it no time limit)")
	f.StringVar(&h.bodyFile, "body-file", "", "send the content of this file as the body (hey's -D; the same as --body @FILE)")
	f.StringVar(&h.targetsFile, "targets", "", "send the requests of this Vegeta targets file in turn, HTTP or JSON format ('-': standard input)")
}

// rateFlag is --rate: a number of requests a second, or "max".
type rateFlag struct {
	rate *float64
	max  *bool
}

func (r rateFlag) String() string {
	if r.max != nil && *r.max {
		return "max"
	}
	if r.rate == nil || *r.rate == 0 {
		return "0"
	}
	return strconv.FormatFloat(*r.rate, 'g', -1, 64)
}

func (r rateFlag) Set(s string) error {
	if strings.EqualFold(s, "max") {
		*r.rate, *r.max = 0, true
		return nil
	}
	v, err := decimal.ParseFloat(s)
	if err != nil {
		return fmt.Errorf("want a decimal number of requests a second, or max")
	}
	*r.rate, *r.max = v, false
	return nil
}

func (r rateFlag) Type() string { return "rate" }

// resolveHabits turns --rate max and a lone -n into the load flags they
// stand for: --rate max is the closed model with one user per connection
// (--connections, or 50), and -n without --duration lifts the time limit.
func resolveHabits(o quickOptions, set quickFlags, durationSet bool) (quickOptions, quickFlags, error) {
	if set.requests && o.requests < 1 {
		return o, set, usageError("-n %d: expected at least 1 request", o.requests)
	}
	if set.requests && !durationSet {
		o.duration = scenario.MaxDuration
	}
	if !o.rateMax {
		return o, set, nil
	}
	if set.users || set.spawnRate {
		return o, set, usageError("--rate max runs one user per connection: set --connections, not --users or --spawn-rate")
	}
	if o.connections == 0 {
		o.connections = defaultMaxConnections
	}
	o.users, set.users = int64(o.connections), true
	return o, set, nil
}

// quickRequests are the requests the URLs or the targets file name, with
// the -H headers and the body of the flags.
func quickRequests(urls []string, o quickOptions, methodSet bool, stdin goio.Reader) ([]session.Request, error) {
	header, err := parseHeaders(o.headers)
	if err != nil {
		return nil, err
	}
	body, err := quickBody(o, stdin)
	if err != nil {
		return nil, err
	}
	if o.targetsFile == "" {
		method, err := requestMethod(o.method)
		if err != nil {
			return nil, err
		}
		return urlRequests(urls, method, header, body)
	}
	switch {
	case len(urls) > 0:
		return nil, usageError("--targets names the requests: give no URL with it (got %s)", flow.Redact(urls[0]))
	case methodSet:
		return nil, usageError("--targets names each request's method: drop --method")
	case o.targetsFile == "-" && o.body == "@-":
		return nil, usageError("--targets - and --body @- both read standard input: put one in a file")
	}
	return targetRequests(o.targetsFile, header, body, stdin)
}

func urlRequests(urls []string, method string, header http.Header, body []byte) ([]session.Request, error) {
	if len(urls) == 0 {
		return nil, usageError("give a URL to test (or several, sent in turn), or --targets FILE")
	}
	reqs := make([]session.Request, len(urls))
	for i, u := range urls {
		if isCount(u) {
			// hey's -q 100 (a rate per worker) here is -q, --quiet, and a
			// URL "100": every request to it failed with ENOTFOUND.
			return nil, usageError("%q is a number where a URL was expected: a flag's value? "+
				"-q is --quiet and takes none (hey's -q N, a rate per worker, is --rate N×workers here)", u)
		}
		u = withScheme(u)
		if err := checkQuickURL(u); err != nil {
			return nil, err
		}
		reqs[i] = session.Request{Method: method, URL: u, Header: header, Body: body}
	}
	return reqs, nil
}

// isCount says whether a URL argument is a bare number, which a flag
// that takes no value left behind.
func isCount(arg string) bool {
	return arg != "" && strings.Trim(arg, "0123456789") == ""
}

// requestMethod is -m upper-cased. An empty one is refused: it was sent
// as GET (session's default), where the help says the method must be a
// token.
func requestMethod(m string) (string, error) {
	if m == "" {
		return "", usageError("-m '': give a method, such as GET or POST")
	}
	return strings.ToUpper(m), nil
}

// quickBody is the body --body or --body-file names (nil: none).
func quickBody(o quickOptions, stdin goio.Reader) ([]byte, error) {
	if o.bodyFile == "" {
		if o.body == "" {
			return nil, nil
		}
		return readBody(o.body, stdin)
	}
	if o.body != "" {
		return nil, usageError("--body and --body-file exclude each other: give the body once")
	}
	data, err := fileinput.Read(o.bodyFile, maxBodyBytes, fileinput.Streams)
	if err != nil {
		return nil, usageError("--body-file: %v", err)
	}
	return data, nil
}

// targetRequests reads a targets file. The -H headers are added to each
// target that does not set the same header itself, and the flags' body
// is sent by each target without one, as Vegeta's -header and -body do.
func targetRequests(path string, header http.Header, body []byte, stdin goio.Reader) ([]session.Request, error) {
	data, err := readTargetsFile(path, stdin)
	if err != nil {
		return nil, err
	}
	readBodyFile := func(p string) ([]byte, error) { return fileinput.Read(p, maxBodyBytes, fileinput.Streams) }
	ts, err := targets.Parse(bytes.NewReader(data), path, readBodyFile)
	if err != nil {
		return nil, usageError("--targets: %v", err)
	}
	reqs := make([]session.Request, len(ts))
	for i, t := range ts {
		h := t.Header.Clone()
		if h == nil {
			h = http.Header{}
		}
		for name, values := range header {
			if _, ok := h[name]; !ok {
				h[name] = values
			}
		}
		reqs[i] = session.Request{Method: t.Method, URL: t.URL, Header: h, Body: t.Body}
		if t.Body == nil {
			reqs[i].Body = body
		}
	}
	return reqs, nil
}

func readTargetsFile(path string, stdin goio.Reader) ([]byte, error) {
	var (
		data []byte
		err  error
	)
	if path == "-" {
		if stdin == nil {
			stdin = os.Stdin
		}
		data, err = fileinput.ReadAll(stdin, "standard input", maxTargetsBytes)
	} else {
		data, err = fileinput.Read(path, maxTargetsBytes, fileinput.Streams)
	}
	if err != nil {
		return nil, usageError("--targets: %v", err)
	}
	return data, nil
}

// quickTarget names what the test sends to, for the results: the URL, or
// the first of several and how many more.
func quickTarget(reqs []session.Request) string {
	first := flow.Redact(reqs[0].URL)
	if len(reqs) == 1 {
		return first
	}
	return fmt.Sprintf("%s (+%d more, in turn)", first, len(reqs)-1)
}

// quickInputs are the files surge quick reads (its targets, its body),
// which no output may replace.
func quickInputs(o quickOptions) []string {
	in := []string{o.targetsFile, o.bodyFile, o.alertsFile}
	if file, ok := strings.CutPrefix(o.body, "@"); ok {
		in = append(in, file)
	}
	return in
}
