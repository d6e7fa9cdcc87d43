package transport

import (
	"errors"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
)

// URLProblem says why raw is not a URL a request can be sent to, as a
// phrase that follows the URL ("is not an http(s) URL with a host"), or
// "" when it is one. Every URL a user gives (a one-liner's, a target, a
// targets file's, a monitor's) is checked by it before any load, so that
// a port out of range fails at once rather than as every request's
// error, and a space in the query, which would go out raw on the request
// line (net/http writes it so too, and servers answer 400), is refused.
func URLProblem(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "is not an http(s) URL with a host" + parseProblem(err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return "is not an http(s) URL with a host"
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return "has port " + p + ", outside 1-65535"
		}
	}
	if h := u.Hostname(); isNumeric(h) {
		if _, err := netip.ParseAddr(h); err != nil {
			// Go dials no shorthand (127.1) and no lone number: it would
			// look the name up, and every request fail with ENOTFOUND.
			return "has host " + h + ": a number, but not an IPv4 address a.b.c.d"
		}
	}
	if strings.Contains(u.RawQuery, " ") {
		return "has a space in its query (write it as %20 or +)"
	}
	return ""
}

// parseProblem is what url.Parse found wrong, after ": ". A bad escape
// is not quoted: it may be in the password.
func parseProblem(err error) string {
	var ue *url.Error
	if !errors.As(err, &ue) {
		return ""
	}
	var escape url.EscapeError
	if errors.As(ue.Err, &escape) {
		return ": a % not followed by two hexadecimal digits (write % itself as %25)"
	}
	return ": " + ue.Err.Error()
}

// isNumeric says whether a host is digits and dots only, as an IPv4
// address is.
func isNumeric(host string) bool {
	return host != "" && strings.Trim(host, "0123456789.") == ""
}
