package engine

import (
	"errors"
	"net/url"

	"github.com/surge-dev/surge/internal/redact"
)

// RedactURL hides what a URL may carry that is a secret: the password in
// its user info, and the value of every query parameter (an API key, a
// token, a signature: a capture put there as often as a page number).
// The names stay, so that a reader still sees what was sent. Text that
// does not parse is returned as it is.
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || (u.User == nil && u.RawQuery == "") {
		return raw
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	u.RawQuery = redactQuery(u.RawQuery)
	return u.String()
}

// redactQuery replaces each value of a raw query by xxxxx, keeping the
// names and their order as written.
func redactQuery(raw string) string {
	return redact.Query(raw, func(string, string) bool { return true })
}

// errorText is err's message with the URL of the request it names
// redacted: the message of a failed VU or request goes to the results,
// the stream, the report, the dashboard and the terminal, and the URL was
// rendered from the VU's variables (a captured token, say). The error is
// the request's own, made for this failure, so it is edited in place.
func errorText(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		ue.URL = RedactURL(ue.URL)
	}
	return err.Error()
}
