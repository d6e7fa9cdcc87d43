package scenario

import (
	"net/url"
	"strings"
)

// EndpointKeys names the endpoints of a script's requests twice: as
// Surge reports them, and as Artillery's metrics-by-endpoint plugin keys
// their metrics (<Namespace>.response_time.<key>,
// <Namespace>.<key>.codes.<code>), which ensure checks look up.
type EndpointKeys struct {
	Namespace string
	// Keys maps a Surge endpoint name to the plugin's key. Several
	// endpoints may share a key (GET /q and POST /q are both "/q"); an
	// endpoint the plugin does not count (ignoreUnnamedRequests) is
	// absent.
	Keys  map[string]string
	names map[*Request]string
}

// Name is the endpoint Surge records r under: r.Endpoint(), unless
// requests of that name have different keys ("list" on /a and on /b are
// "/a (list)" and "/b (list)" to the plugin): then the key, so that each
// endpoint has one key.
func (k EndpointKeys) Name(r *Request) string {
	if n, ok := k.names[r]; ok {
		return n
	}
	return r.Endpoint()
}

// EndpointKeys computes the endpoints of every request in the script
// (its scenarios, before and after), for the given target (config.target
// or the -t that overrides it).
func (s *Script) EndpointKeys(target string) EndpointKeys {
	opts := s.Config.Plugins.ByEndpoint()
	k := EndpointKeys{Namespace: opts.Namespace, Keys: map[string]string{}, names: map[*Request]string{}}
	var reqs []*Request
	var walk func([]Step)
	walk = func(steps []Step) {
		for i := range steps {
			st := &steps[i]
			switch {
			case st.Request != nil:
				reqs = append(reqs, st.Request)
			case st.Loop != nil:
				walk(st.Loop.Steps)
			case st.Parallel != nil:
				walk(st.Parallel.Steps)
			}
		}
	}
	for i := range s.Scenarios {
		walk(s.Scenarios[i].Flow)
	}
	for _, sc := range []*Scenario{s.Before, s.After} {
		if sc != nil {
			walk(sc.Flow)
		}
	}
	keys := make(map[*Request]string, len(reqs))
	byName := map[string]map[string]bool{}
	for _, r := range reqs {
		key, counted := opts.Key(target, r.URL, r.Name)
		if !counted {
			continue
		}
		keys[r] = key
		if byName[r.Endpoint()] == nil {
			byName[r.Endpoint()] = map[string]bool{}
		}
		byName[r.Endpoint()][key] = true
	}
	for _, r := range reqs {
		key, ok := keys[r]
		if !ok {
			continue
		}
		name := r.Endpoint()
		if len(byName[name]) > 1 {
			name = key
			k.names[r] = name
		}
		k.Keys[name] = key
	}
	return k
}

// Key is the plugin's key for a request of this URL (as written, not
// rendered) and name, and whether the plugin counts it at all: the URL's
// path, its query unless StripQueryString, after the host and port where
// they differ from the target's, percent-decoded; " (name)" is added for
// a named request, or the name alone with UseOnlyRequestNames.
func (m MetricsByEndpoint) Key(target, rawURL, name string) (string, bool) {
	base := m.baseURL(target, rawURL)
	switch {
	case name == "" && m.IgnoreUnnamedRequests:
		return "", false
	case name == "":
		return base, true
	case m.UseOnlyRequestNames:
		return name, true
	}
	return base + " (" + name + ")", true
}

func (m MetricsByEndpoint) baseURL(target, rawURL string) string {
	t, r := nodeURL(target), nodeURL(rawURL)
	var base string
	if target != "" && r.hostname != "" && t.hostname != r.hostname {
		base += r.hostname
	}
	if target != "" && r.port != "" && t.port != r.port {
		base += ":" + r.port
	}
	if m.StripQueryString {
		base += r.pathname
	} else {
		base += r.path
	}
	// decodeURIComponent, which throws on a malformed escape: the text
	// is then kept as it is.
	if d, err := url.PathUnescape(base); err == nil {
		base = d
	}
	return base
}

// parsedURL is what the plugin takes from Node's legacy url.parse.
type parsedURL struct {
	hostname, port string
	pathname, path string // path is pathname and the query
}

// nodeURL parses as Node's url.parse does for what the plugin reads: a
// "scheme://" URL has a host (lower-cased, without user info) and a
// port, and its path is "/" when empty; the fragment is not part of the
// path; anything else is a path.
func nodeURL(s string) parsedURL {
	var u parsedURL
	s, _, _ = strings.Cut(s, "#")
	if i := strings.Index(s, "://"); i > 0 && isScheme(s[:i]) {
		rest := s[i+3:]
		end := strings.IndexAny(rest, "/?")
		if end < 0 {
			end = len(rest)
		}
		host := rest[:end]
		if at := strings.LastIndexByte(host, '@'); at >= 0 {
			host = host[at+1:]
		}
		if c := strings.LastIndexByte(host, ':'); c >= 0 && !strings.Contains(host[c:], "]") {
			host, u.port = host[:c], host[c+1:]
		}
		u.hostname = strings.ToLower(host)
		s = rest[end:]
		if !strings.HasPrefix(s, "/") {
			s = "/" + s
		}
	}
	u.path = s
	u.pathname, _, _ = strings.Cut(s, "?")
	return u
}

func isScheme(s string) bool {
	for i, c := range s {
		alpha := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !alpha && (i == 0 || !(c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return false
		}
	}
	return s != ""
}
