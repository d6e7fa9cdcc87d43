package dashboard

import (
	"cmp"
	"slices"
	"time"

	"github.com/surge-dev/surge/metrics"
)

// maxErrorGroups bounds the Errors tab: a script with many endpoints
// failing in many ways shows its most frequent groups, and says how many
// more there are.
const maxErrorGroups = 50

// ErrorGroup is one line of the Errors tab: every error of one kind on
// one endpoint since the start of the test (or the last reset).
type ErrorGroup struct {
	Endpoint string `json:"endpoint"`
	Kind     string `json:"kind"`
	// Message is a fixed description of the kind. It is never text the
	// target sent: a page that reaches the dashboard (through DNS
	// rebinding, say) must not read a banner of a service it could not
	// reach itself. The terminal shows the full first message.
	Message string `json:"message"`
	Count   int64  `json:"count"`
	// LastSeen is the end of the latest second in which the count grew.
	LastSeen time.Time `json:"last_seen"`
}

// kindDescriptions are the fixed messages shown for the built-in kinds.
var kindDescriptions = map[string]string{
	metrics.ErrRefused.String():  "connection refused",
	metrics.ErrReset.String():    "connection reset by the target",
	metrics.ErrTimeout.String():  "no complete response within the timeout",
	metrics.ErrDNS.String():      "host name not found",
	metrics.ErrTLS.String():      "TLS handshake or certificate failed",
	metrics.ErrClosed.String():   "connection closed before a complete response",
	metrics.ErrProtocol.String(): "the answer was not valid HTTP",
	metrics.ErrCanceled.String(): "cancelled when the test stopped",
	metrics.ErrBadURL.String():   "the request URL is not valid",
	metrics.ErrOther.String():    "another error (the terminal shows the message)",
	metrics.ErrNoHTTP2.String():  "the target did not speak HTTP/2: over TLS it did not choose h2 in ALPN; over plain TCP (protocol http2 to an http:// URL) it answered in HTTP/1.1, or hung up",
}

// describeKind is the fixed message of a kind.
func describeKind(kind string) string {
	if d, ok := kindDescriptions[kind]; ok {
		return d
	}
	return "error of kind " + kind + " (the terminal shows the message)"
}

type errorKey struct{ endpoint, kind string }

// errorGroups follows the per-endpoint error counts of a test from one
// snapshot to the next, to know when each last grew.
type errorGroups map[errorKey]*ErrorGroup

// update takes the cumulative counts of a snapshot taken at now. Groups
// that a statistics reset emptied disappear.
func (g errorGroups) update(endpoints []metrics.Stats, now time.Time) {
	seen := map[errorKey]bool{}
	for _, e := range endpoints {
		for kind, n := range e.Kinds {
			if n <= 0 {
				continue
			}
			key := errorKey{e.Name, kind}
			seen[key] = true
			grp := g[key]
			if grp == nil {
				grp = &ErrorGroup{Endpoint: e.Name, Kind: kind, Message: describeKind(kind)}
				g[key] = grp
			}
			if n != grp.Count {
				grp.Count, grp.LastSeen = n, now
			}
		}
	}
	for key := range g {
		if !seen[key] {
			delete(g, key)
		}
	}
}

// top returns the most frequent groups, at most maxErrorGroups, and how
// many were left out.
func (g errorGroups) top() ([]ErrorGroup, int) {
	out := make([]ErrorGroup, 0, len(g))
	for _, grp := range g {
		out = append(out, *grp)
	}
	slices.SortFunc(out, func(a, b ErrorGroup) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Endpoint, b.Endpoint), cmp.Compare(a.Kind, b.Kind))
	})
	if len(out) > maxErrorGroups {
		return out[:maxErrorGroups], len(out) - maxErrorGroups
	}
	return out, 0
}
