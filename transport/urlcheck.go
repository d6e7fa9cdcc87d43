package transport

import (
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
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return "is not an http(s) URL with a host"
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return "has port " + p + ", outside 1-65535"
		}
	}
	if strings.Contains(u.RawQuery, " ") {
		return "has a space in its query (write it as %20 or +)"
	}
	return ""
}
