package metrics

import "sync"

// ErrorKind names why a request got no response, or why a VU failed. Kinds
// are small integers so that recording one is an array increment.
type ErrorKind uint8

// MaxErrorKinds bounds how many distinct kinds a process can register.
const MaxErrorKinds = 64

// Built-in kinds. The names are the codes Artillery reports under errors.*,
// so dashboards built on Artillery's counters keep working.
var (
	NoError     = RegisterErrorKind("")
	ErrRefused  = RegisterErrorKind("ECONNREFUSED")
	ErrReset    = RegisterErrorKind("ECONNRESET")
	ErrTimeout  = RegisterErrorKind("ETIMEDOUT")
	ErrDNS      = RegisterErrorKind("ENOTFOUND")
	ErrTLS      = RegisterErrorKind("ETLS")
	ErrClosed   = RegisterErrorKind("ECONNCLOSED")
	ErrProtocol = RegisterErrorKind("EPROTO")
	ErrCanceled = RegisterErrorKind("ECANCELED")
	ErrBadURL   = RegisterErrorKind("EINVALIDURL")
	ErrOther    = RegisterErrorKind("EOTHER")
	// ErrNoHTTP2: a request for HTTP/2 alone that the server does not
	// speak: over TLS it did not choose h2 in ALPN; sent without
	// negotiation (h2c with prior knowledge), it answered in HTTP/1.1. It
	// was EOTHER, which hid the cause: a server without HTTP/2, not a
	// failing one.
	ErrNoHTTP2 = RegisterErrorKind("ENOHTTP2")
)

var kinds struct {
	sync.Mutex
	names []string
	index map[string]ErrorKind
}

// RegisterErrorKind returns the kind for name, adding it on first use. Call
// it while loading a test, not per request. Past MaxErrorKinds every new
// name maps to ErrOther.
func RegisterErrorKind(name string) ErrorKind {
	kinds.Lock()
	defer kinds.Unlock()
	if k, ok := kinds.index[name]; ok {
		return k
	}
	if kinds.index == nil {
		kinds.index = map[string]ErrorKind{}
	}
	if len(kinds.names) >= MaxErrorKinds {
		return kinds.index["EOTHER"]
	}
	k := ErrorKind(len(kinds.names))
	kinds.names = append(kinds.names, name)
	kinds.index[name] = k
	return k
}

// String is the kind's registered name.
func (k ErrorKind) String() string {
	kinds.Lock()
	defer kinds.Unlock()
	if int(k) < len(kinds.names) {
		return kinds.names[k]
	}
	return "EOTHER"
}
