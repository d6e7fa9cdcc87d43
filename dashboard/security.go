package dashboard

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
)

const tokenCookie = "surge_token"

// NewToken returns a random token for a dashboard bound off loopback.
func NewToken() string {
	b := make([]byte, 16)
	rand.Read(b) // never fails on supported platforms
	return hex.EncodeToString(b)
}

// MinTokenLength is the shortest token a dashboard bound off loopback
// accepts: one that anyone on the network may try to guess.
const MinTokenLength = 16

// CheckToken refuses a dashboard bound off loopback without a token, or
// with one shorter than MinTokenLength.
func CheckToken(addr, token string) error {
	if IsLoopback(addr) || len(token) >= MinTokenLength {
		return nil
	}
	if token == "" {
		return fmt.Errorf("dashboard: %s is reachable off loopback: it needs a token", addr)
	}
	return fmt.Errorf("dashboard: %s is reachable off loopback: its token must be at least %d characters (got %d); "+
		"leave it empty to have a random one made up", addr, MinTokenLength, len(token))
}

// IsLoopback reports whether a listen address only accepts local
// connections (so the dashboard may run without a token).
func IsLoopback(addr string) bool {
	return isLoopbackHost(hostOnly(addr))
}

// guard checks the token (when one is set) on every request, event
// streams and downloads included, and refuses cross-origin requests that
// change anything. It sends no CORS headers, so other origins cannot read
// the API either. Without a token it answers only to the host names it
// knows: a page on evil.example whose name the attacker re-points at
// 127.0.0.1 (DNS rebinding) is same-origin to the browser, but its
// requests still say Host: evil.example.
func (s *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.cfg.Token != "" && !s.authorised(w, r) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="surge"`)
			http.Error(w, "unauthorised: this dashboard needs its token (printed when it started): open /?token=…", http.StatusUnauthorized)
			return
		}
		if s.cfg.Token != "" && tokenInPageURL(r) {
			// The cookie is set: the page is sent again without the token in
			// its address, which would otherwise stay in the browser's history
			// (and in what the address bar shows, shares and syncs).
			q := r.URL.Query()
			q.Del("token")
			to := &url.URL{Path: "/", RawQuery: q.Encode()}
			w.Header().Set("Cache-Control", "no-store")
			w.Header().Set("Referrer-Policy", "no-referrer")
			http.Redirect(w, r, to.String(), http.StatusSeeOther)
			return
		}
		if s.cfg.Token == "" && !s.knownHost(r.Host) {
			http.Error(w, "forbidden: without a token this dashboard answers only to loopback host names "+
				"(localhost, 127.0.0.1, [::1]); name others with --dashboard-allow-host", http.StatusForbidden)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead && !sameOrigin(r) {
			http.Error(w, "cross-origin request refused", http.StatusForbidden)
			return
		}
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("X-Frame-Options", "DENY")
		w.Header().Set("Referrer-Policy", "no-referrer")
		next.ServeHTTP(w, r)
	})
}

// tokenInPageURL reports a request for the page, /, that carries the
// token in its query (the API's callers may pass it that way each time).
func tokenInPageURL(r *http.Request) bool {
	return (r.Method == http.MethodGet || r.Method == http.MethodHead) && r.URL.Path == "/" && r.URL.Query().Has("token")
}

// knownHost reports whether a Host header names this dashboard: a
// loopback name or address, or one of Config.AllowedHosts, with or
// without a port.
func (s *Server) knownHost(hostport string) bool {
	host := hostOnly(hostport)
	if isLoopbackHost(host) {
		return true
	}
	for _, h := range s.cfg.AllowedHosts {
		if strings.EqualFold(hostOnly(h), host) {
			return true
		}
	}
	return false
}

// hostOnly strips the port and IPv6 brackets from a Host header. A port
// that is not a number makes the header name no host ("": never known):
// "127.0.0.1:80.evil.example" is not 127.0.0.1.
func hostOnly(hostport string) string {
	if h, port, err := net.SplitHostPort(hostport); err == nil {
		if port != "" && strings.Trim(port, "0123456789") != "" {
			return ""
		}
		return h
	}
	return strings.TrimSuffix(strings.TrimPrefix(hostport, "["), "]")
}

func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// authorised accepts the token from the Authorization header (the
// scheme "Bearer" in any case, as RFC 9110 has it), the query (then
// remembered in a cookie, so the page's own requests carry it) or that
// cookie.
func (s *Server) authorised(w http.ResponseWriter, r *http.Request) bool {
	if scheme, t, ok := strings.Cut(r.Header.Get("Authorization"), " "); ok && strings.EqualFold(scheme, "Bearer") &&
		s.matches(strings.TrimSpace(t)) {
		return true
	}
	if t := r.URL.Query().Get("token"); t != "" && s.matches(t) {
		http.SetCookie(w, &http.Cookie{Name: tokenCookie, Value: t, Path: "/", HttpOnly: true,
			SameSite: http.SameSiteStrictMode})
		return true
	}
	c, err := r.Cookie(tokenCookie)
	return err == nil && s.matches(c.Value)
}

// matches compares t with the token in constant time, length included:
// ConstantTimeCompare returns at once on a length that differs, so the
// two are compared as SHA-256 digests, of one length whatever is sent.
func (s *Server) matches(t string) bool {
	got, want := sha256.Sum256([]byte(t)), sha256.Sum256([]byte(s.cfg.Token))
	return subtle.ConstantTimeCompare(got[:], want[:]) == 1
}

// sameOrigin requires JSON bodies (a cross-site form cannot send them
// without a preflight we never grant) and, when the browser names an
// Origin, that it is this server.
func sameOrigin(r *http.Request) bool {
	if ct := r.Header.Get("Content-Type"); r.ContentLength != 0 && !strings.HasPrefix(ct, "application/json") {
		return false
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	return err == nil && u.Host == r.Host
}
