package flow

import (
	"net/url"
	"strings"
)

// setPath gives u the path a WHATWG URL parser (Node's, so Artillery's)
// makes of written, the path as the script wrote it: escapes stay as
// written, a space or a non-ASCII byte is escaped, and "." and ".."
// segments are resolved. net/url keeps the written escapes only while
// nothing else in the path needs escaping: "/a%2Fb c" went out as
// /a/b%20c, a path with one more segment, and "/z/../w" as written.
func setPath(u *url.URL, written string) {
	if !needsEscape(written) && !hasDotSegment(written) {
		return // net/url sends it as written
	}
	enc := removeDotSegments(escapePath(written))
	if p, err := url.PathUnescape(enc); err == nil {
		u.Path, u.RawPath = p, enc
	}
}

// pathOf is the path of a URL as written: after an absolute URL's
// authority, up to the query or the fragment.
func pathOf(raw string) string {
	if absolute(raw) {
		if i := strings.Index(raw, "://"); i >= 0 {
			raw = raw[i+3:]
			k := strings.IndexAny(raw, "/?#")
			if k < 0 || raw[k] != '/' {
				return ""
			}
			raw = raw[k:]
		}
	}
	if k := strings.IndexAny(raw, "?#"); k >= 0 {
		raw = raw[:k]
	}
	return raw
}

// absolute says whether raw starts with a scheme and "://".
func absolute(raw string) bool {
	i := strings.Index(raw, "://")
	return i > 0 && !strings.ContainsAny(raw[:i], "/?#")
}

// pathEscaped says which bytes are escaped in a path: the WHATWG path
// percent-encode set (controls, space, " < > ` { } and non-ASCII), plus
// | and ^, which net/url refuses to send unescaped.
func pathEscaped(c byte) bool {
	return c <= ' ' || c >= 0x7f || strings.IndexByte("\"<>`{}|^\\", c) >= 0
}

func needsEscape(p string) bool {
	for i := 0; i < len(p); i++ {
		if pathEscaped(p[i]) {
			return true
		}
	}
	return false
}

// escapePath escapes the bytes of pathEscaped, leaving escapes as written;
// a backslash is a slash, as in a WHATWG http(s) URL.
func escapePath(p string) string {
	const hex = "0123456789ABCDEF"
	b := make([]byte, 0, len(p)+16)
	for i := 0; i < len(p); i++ {
		switch c := p[i]; {
		case c == '\\':
			b = append(b, '/')
		case pathEscaped(c):
			b = append(b, '%', hex[c>>4], hex[c&15])
		default:
			b = append(b, c)
		}
	}
	return string(b)
}

// hasDotSegment says whether a segment of p is "." or ".." (either dot
// may be written %2e), without allocating: it runs for every request.
func hasDotSegment(p string) bool {
	for p != "" {
		seg, rest, _ := strings.Cut(p, "/")
		if isDot(seg) || isDotDot(seg) {
			return true
		}
		p = rest
	}
	return false
}

func isDot(s string) bool { return s == "." || len(s) == 3 && strings.EqualFold(s, "%2e") }

func isDotDot(s string) bool {
	if len(s) != 2 && len(s) != 4 && len(s) != 6 {
		return false
	}
	switch strings.ToLower(s) {
	case "..", ".%2e", "%2e.", "%2e%2e":
		return true
	}
	return false
}

// removeDotSegments resolves "." and ".." in a path starting with "/" as
// the WHATWG path state does: ".." drops the segment before it, and
// either at the end leaves the path ending in "/".
func removeDotSegments(p string) string {
	if !strings.HasPrefix(p, "/") || !hasDotSegment(p) {
		return p
	}
	segs := strings.Split(p[1:], "/")
	out := make([]string, 0, len(segs))
	for i, s := range segs {
		last := i == len(segs)-1
		switch {
		case isDotDot(s):
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
			if last {
				out = append(out, "")
			}
		case isDot(s):
			if last {
				out = append(out, "")
			}
		default:
			out = append(out, s)
		}
	}
	return "/" + strings.Join(out, "/")
}
