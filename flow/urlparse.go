package flow

import (
	"errors"
	"net/url"
	"strings"

	"github.com/surge-dev/surge/templating"
)

// urlParser turns a step's rendered URL into the request's. Parsing the
// whole of target+path for every request was a tenth of a scripted
// request's own CPU; a URL that never changes is parsed once, and a path
// on a target that is only a scheme and a host is parsed alone, the
// target's parts taken as they are. Both give what parsing the whole
// would (urlparse_test.go holds them to it), and anything else is parsed
// whole.
type urlParser struct {
	target string
	base   *url.URL // the target, when a path can be parsed apart from it
	fixed  *url.URL // the step's URL, when its template is static and valid
}

func newURLParser(target string, tmpl *templating.Template) urlParser {
	p := urlParser{target: target}
	// The whole parse insists on a lower-case "http" prefix: so does this.
	if b, err := url.Parse(target); err == nil && strings.HasPrefix(target, "http") && bareOrigin(b) {
		p.base = b
	}
	if tmpl.IsStatic() {
		if u, err := p.parse(tmpl.Source()); err == nil {
			p.fixed = u
		}
	}
	return p
}

// bareOrigin says whether u is a scheme and a host and nothing more, so
// that u's text followed by a path parses as that path on u.
func bareOrigin(u *url.URL) bool {
	return (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil &&
		u.Opaque == "" && u.Path == "" && u.RawPath == "" && u.RawQuery == "" && !u.ForceQuery &&
		u.Fragment == "" && !u.OmitHost
}

// parse is the request URL of raw, a rendered url: a path ("/…") is on
// the target. The error's text is what a report may show of raw.
func (p urlParser) parse(raw string) (*url.URL, error) {
	raw = whatwgTrim(raw)
	if p.base != nil && len(raw) > 1 && raw[0] == '/' && raw[1] != '/' {
		if u, err := url.Parse(raw); err == nil {
			u.Scheme, u.Host = p.base.Scheme, p.base.Host
			return requestURL(u, raw), nil
		}
	}
	if strings.HasPrefix(raw, "/") {
		raw = p.target + raw
	}
	u, err := url.Parse(raw)
	if err != nil || !strings.HasPrefix(raw, "http") || u.Host == "" {
		return nil, errors.New(Redact(raw))
	}
	return requestURL(u, raw), nil
}

// requestURL drops u's fragment, which is never sent, and encodes its
// path and query as a browser would; raw is the text u was parsed from.
func requestURL(u *url.URL, raw string) *url.URL {
	u.Fragment, u.RawFragment = "", ""
	u.RawQuery = encodeQuery(u.RawQuery)
	setPath(u, pathOf(raw))
	return u
}

// whatwgTrim does to raw what a WHATWG URL parser (Node's, and so
// Artillery's) does first: it strips leading and trailing C0 controls and
// spaces and removes every tab and newline. A CSV cell "bob " gave Surge
// the path /p/bob%20 where Artillery sent /p/bob.
func whatwgTrim(raw string) string {
	raw = strings.TrimFunc(raw, func(r rune) bool { return r <= ' ' })
	if strings.ContainsAny(raw, "\t\n\r") {
		raw = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(raw)
	}
	return raw
}
