package flow

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/ensure"
	"github.com/surge-dev/surge/internal/fileinput"
	"github.com/surge-dev/surge/scenario"
	"github.com/surge-dev/surge/templating"

	"github.com/surge-dev/surge/transport"
)

// checkEnsure reports, at load, an ensure condition that cannot compile
// (Artillery would run the whole test, then fail the check).
func (p *Program) checkEnsure() {
	e := p.script.Config.Ensure
	if e == nil {
		return
	}
	for _, c := range e.Conditions {
		if err := ensure.CheckCondition(c.Expression); err != nil {
			p.errorf(c.Pos, "ensure condition %q: %v", c.Expression, err)
		}
	}
}

// MaxUploadBytes bounds one formData file: the whole multipart body is
// built in memory for every request that sends it.
const MaxUploadBytes = 64 << 20

// checkTarget reports, at load, a base URL no request could use: a scheme
// other than http or https, or no host. Before, such a target failed every
// VU at run time ("vusers failed", zero requests) without saying why.
func (p *Program) checkTarget() {
	if p.target == "" || strings.Contains(p.target, "{{") {
		return
	}
	err := CheckBaseURL(p.target)
	if err == nil {
		return
	}
	if p.opts.Target != "" {
		p.errs = append(p.errs, &scenario.Error{File: "--target", Msg: err.Error()})
		return
	}
	p.errorf(p.script.Config.TargetPos, "config.target: %v", err)
}

// CheckBaseURL reports a URL that is not an absolute http or https URL
// with a host. Like Artillery's own check, the scheme must be written in
// lower case. Credentials in it are not repeated in the error.
func CheckBaseURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%q is not a URL: %v", Redact(raw), unwrapURLError(err))
	}
	if !strings.HasPrefix(raw, "http://") && !strings.HasPrefix(raw, "https://") {
		return fmt.Errorf("%q: expected an http:// or https:// URL (the scheme in lower case)", Redact(raw))
	}
	if u.Hostname() == "" {
		return fmt.Errorf("%q has no host", Redact(raw))
	}
	if why := transport.URLProblem(raw); why != "" {
		return fmt.Errorf("%q %s", Redact(raw), why)
	}
	return nil
}

// Redact hides the password of a URL and the values of its query (see
// engine.RedactURL), also the password in text that does not parse as a
// URL but has a "user:password@" part.
func Redact(raw string) string {
	if _, err := url.Parse(raw); err == nil {
		return engine.RedactURL(raw)
	}
	scheme, rest, ok := strings.Cut(raw, "://")
	authority, _, _ := strings.Cut(rest, "/")
	at := strings.LastIndex(authority, "@")
	if !ok || at < 0 {
		return raw
	}
	user, _, hasPassword := strings.Cut(authority[:at], ":")
	if !hasPassword {
		return raw
	}
	return scheme + "://" + user + ":xxxxx" + rest[at:]
}

func unwrapURLError(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}

// checkStaticThink reports a think time that is not a template and can
// never be a duration (-1, "soon"): before, every VU failed on it at run
// time.
func (p *Program) checkStaticThink(v any, pos scenario.Pos) {
	if s, ok := v.(string); ok && strings.Contains(s, "{{") {
		return
	}
	p.errorf(pos, "think: expected seconds (a number from 0 to 10^9) or a duration such as 500ms, got %s",
		string(templating.AppendJSON(nil, v)))
}

// checkLoopCount reports, at load, a count that is not a template and not
// a whole number of iterations or a range "a-b": Artillery runs a loop of
// count -1 or "lots" zero times and of count 2.5 three times; Surge
// refuses them.
func (p *Program) checkLoopCount(count any, pos scenario.Pos) {
	s, isText := count.(string)
	if isText && strings.Contains(s, "{{") {
		return
	}
	if isText {
		if a, b, ok := strings.Cut(s, "-"); ok && wholeCount(templating.StringToNumber(a)) &&
			wholeCount(templating.StringToNumber(b)) {
			return
		}
		if wholeCount(templating.StringToNumber(s)) {
			return
		}
	} else if f, ok := templating.Number(count); ok && wholeCount(f) {
		return
	}
	p.errorf(pos, "loop count: expected a whole number of iterations (0 or more), a range such as 1-5, or a template; got %s",
		string(templating.AppendJSON(nil, count)))
}

func wholeCount(f float64) bool {
	return f >= 0 && f == math.Trunc(f) && f <= math.MaxInt32
}

// checkUploads reports, at load, formData files named without a template
// that cannot be sent: missing, not a regular file, or too large.
func (p *Program) checkUploads(fs []scenario.Field, pos scenario.Pos) {
	for _, f := range fs {
		m, ok := f.Value.(map[string]any)
		if !ok {
			continue
		}
		if err := checkPartKeys(m); err != nil {
			p.errorf(pos, "formData %s: %v", f.Name, err)
			continue
		}
		file, ok := m["fromFile"].(string)
		if !ok || file == "" || strings.Contains(file, "{{") {
			continue
		}
		if err := checkUpload(uploadPath(p.script.Dir, file)); err != nil {
			p.errorf(pos, "formData %s: %v", f.Name, err)
		}
	}
}

// partKeys are the keys of a formData part given as a mapping.
var partKeys = []string{"fromFile", "value", "contentType"}

// checkPartKeys refuses a misspelled key of a formData part (fromFlie
// sent the part as the text "null") and a part with nothing to send.
func checkPartKeys(m map[string]any) error {
	for k := range m {
		if slices.Contains(partKeys, k) {
			continue
		}
		if near := scenario.Suggest(k, partKeys); near != "" {
			return fmt.Errorf("unknown key %q; did you mean %q?", k, near)
		}
		return fmt.Errorf("unknown key %q (a part has fromFile, value and contentType)", k)
	}
	if _, file := m["fromFile"]; !file {
		if _, value := m["value"]; !value {
			return errors.New("a part given as a mapping needs fromFile or value")
		}
	}
	return nil
}

// uploadPath resolves a fromFile path against the script's directory; an
// absolute path stays as it is (path.resolve in Artillery).
func uploadPath(dir, file string) string {
	if filepath.IsAbs(file) {
		return file
	}
	return filepath.Join(dir, file)
}

// checkUpload is what readUpload would refuse, from the file's metadata.
func checkUpload(path string) error {
	info, err := os.Stat(path)
	switch {
	case err != nil:
		return err
	case !info.Mode().IsRegular():
		return fmt.Errorf("%s is not a regular file; only regular files can be uploaded", path)
	case info.Size() > MaxUploadBytes:
		return fmt.Errorf("%s is larger than %s, the most Surge uploads from one file", path, fileinput.Size(MaxUploadBytes))
	}
	return nil
}

// readUpload reads a formData file at run time, with the same bounds.
func readUpload(path string) ([]byte, error) {
	return fileinput.Read(path, MaxUploadBytes, fileinput.Regular)
}

// hostFromHeader sends a script's host header as the request's Host, as
// Artillery does. Header names are kept lower case, so Go's transports
// would otherwise write it as a second Host field beside the URL's (a
// request servers refuse with 400).
func hostFromHeader(req *http.Request) {
	if h, ok := req.Header[hostKey]; ok {
		if len(h) > 0 && h[0] != "" {
			req.Host = h[0]
		}
		delete(req.Header, hostKey)
	}
}

// hostKey is the lower-case header name scripts use (see contentType).
var hostKey = strings.ToLower("Host")
