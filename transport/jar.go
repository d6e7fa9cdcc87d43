package transport

import (
	"errors"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/publicsuffix"
)

// Jar is a virtual user's cookie jar. It keeps and sends cookies as
// Artillery 2.0.34's jar (tough-cookie 5) does, so that a script sends
// the Cookie header Artillery sends:
//   - a value is kept as the bytes the server sent, trimmed, up to the
//     first ';': quotes, spaces, commas, braces and non-ASCII bytes are
//     sent back as they came (net/http's jar drops or quotes them); a
//     Set-Cookie with a control character in its name or value, or with
//     no name, is refused;
//   - a Domain attribute must domain-match the request's host and may not
//     be a public suffix; an IP address is neither, so a Domain naming one
//     is refused (net/http's jar keeps it as a host cookie);
//   - a Secure cookie goes over https only, also to localhost (net/http's
//     jar sends it to loopback hosts over http); a __Secure- or __Host-
//     cookie without what its prefix demands is dropped;
//   - Max-Age wins over Expires; Max-Age 0 or less, or an Expires in the
//     past, removes the cookie; a positive Max-Age counts from the
//     cookie's last use (tough-cookie measures it from lastAccessed);
//   - the header lists the matching cookies longest path first, then in
//     the order they were first set, joined by "; ".
//
// It costs nothing until a cookie is set. Its memory is bounded: at most
// MaxJarCookies cookies and MaxJarBytes bytes of names, values, domains
// and paths; beyond that the cookie least recently set or sent goes.
// A Jar is safe for concurrent use (the requests of a parallel step).
type Jar struct {
	mu       sync.Mutex
	on       bool
	rejected int
	cookies  []jarCookie // in the order they were first set
	size     int         // bytes held, for MaxJarBytes
	timed    int         // cookies that expire
	tick     uint64      // counts sets and sends, for eviction
	// The last header built, valid until the jar changes; unused while
	// a cookie may expire.
	cached               bool
	cacheHost, cachePath string
	cacheSecure          bool
	cacheValue           string
}

// The jar's bounds: tough-cookie has none, browsers keep some 3000 in all.
const (
	MaxJarCookies = 300
	MaxJarBytes   = 256 << 10
)

type jarCookie struct {
	name, value  string
	domain, path string
	hostOnly     bool
	secure       bool
	expires      int64 // Unix ms; when hasExpires
	hasExpires   bool
	maxAge       int64 // ms, > 0: expires maxAge after lastUse
	lastUse      int64 // Unix ms of the last set or send, for maxAge
	used         uint64
}

func (c *jarCookie) size() int { return len(c.name) + len(c.value) + len(c.domain) + len(c.path) }

func (c *jarCookie) timed() bool { return c.hasExpires || c.maxAge > 0 }

func (c *jarCookie) expired(now int64) bool {
	if c.maxAge > 0 {
		return c.lastUse+c.maxAge <= now
	}
	return c.hasExpires && c.expires <= now
}

// On reports whether the jar is switched on: a response has set a
// cookie (Store saw a Set-Cookie field), or SwitchOn was called.
// Artillery attaches the jar to every request of a VU whose jar is on,
// and otherwise only to a request whose step has its own cookies.
func (j *Jar) On() bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.on
}

// SwitchOn switches the jar on.
func (j *Jar) SwitchOn() {
	j.mu.Lock()
	j.on = true
	j.mu.Unlock()
}

// Active reports whether the jar is on or holds a cookie; a nil jar is
// neither.
func (j *Jar) Active() bool {
	if j == nil {
		return false
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.on || len(j.cookies) > 0
}

// TakeRejected returns how many Set-Cookie fields Store refused since it
// was last called (Artillery counts them as
// errors.cookie_parse_error_invalid_cookie while the jar is off).
func (j *Jar) TakeRejected() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	n := j.rejected
	j.rejected = 0
	return n
}

// Store keeps the cookies that a response to a request for u sets, and
// switches the jar on if h has a Set-Cookie field.
func (j *Jar) Store(u *url.URL, h http.Header) {
	lines := h["Set-Cookie"]
	if len(lines) == 0 {
		return
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	j.on = true
	now := time.Now().UnixMilli()
	for _, line := range lines {
		if j.set(u, line, now) != nil {
			j.rejected++
		}
	}
}

// Set keeps one cookie, written as a Set-Cookie field's value, as if a
// response to a request for u set it. A step's cookie k: v is Set(u,
// "k=v"), as Artillery sets it. It does not switch the jar on.
func (j *Jar) Set(u *url.URL, line string) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.set(u, line, time.Now().UnixMilli())
}

var (
	errCookieParse  = errors.New("cookie failed to parse")
	errCookieSuffix = errors.New("cookie has domain set to a public suffix")
	errCookieDomain = errors.New("cookie not in this host's domain")
)

func (j *Jar) set(u *url.URL, line string, now int64) error {
	c, ok := parseSetCookie(line, now)
	if !ok {
		return errCookieParse
	}
	host := canonicalHost(u.Hostname())
	if c.domain != "" {
		if publicSuffix(c.domain) {
			return errCookieSuffix
		}
		if !domainMatch(host, c.domain) {
			return errCookieDomain
		}
	} else {
		c.hostOnly, c.domain = true, host
	}
	if c.path == "" {
		c.path = defaultPath(u.EscapedPath())
	}
	if strings.HasPrefix(c.name, "__Secure-") && !c.secure ||
		strings.HasPrefix(c.name, "__Host-") && (!c.secure || !c.hostOnly || c.path != "/") {
		return nil // tough-cookie drops it silently: no error
	}
	j.cached = false
	j.tick++
	c.used = j.tick
	gone := c.maxAgeSet && c.maxAge <= 0 || !c.maxAgeSet && c.hasExpires && c.expires <= now
	if c.maxAgeSet && c.maxAge <= 0 {
		c.maxAge = 0
	}
	if c.maxAgeSet {
		c.hasExpires = false
	}
	for i := range j.cookies {
		old := &j.cookies[i]
		if old.name == c.name && old.domain == c.domain && old.path == c.path {
			if gone {
				j.remove(i)
				return nil
			}
			j.account(old, -1)
			*old = c.jarCookie // keeps its place: the order it was first set in
			j.account(old, 1)
			j.bound()
			return nil
		}
	}
	if gone {
		return nil
	}
	j.cookies = append(j.cookies, c.jarCookie)
	j.account(&j.cookies[len(j.cookies)-1], 1)
	j.bound()
	return nil
}

func (j *Jar) account(c *jarCookie, sign int) {
	j.size += sign * c.size()
	if c.timed() {
		j.timed += sign
	}
}

func (j *Jar) remove(i int) {
	j.account(&j.cookies[i], -1)
	j.cookies = append(j.cookies[:i], j.cookies[i+1:]...)
	j.cached = false
}

// bound evicts the cookies least recently set or sent until the jar is
// within its bounds.
func (j *Jar) bound() {
	for len(j.cookies) > MaxJarCookies || j.size > MaxJarBytes && len(j.cookies) > 1 {
		lru := 0
		for i := range j.cookies {
			if j.cookies[i].used < j.cookies[lru].used {
				lru = i
			}
		}
		j.remove(lru)
	}
}

// Header returns the Cookie header's value for a request to u: the
// cookies that match it, as Artillery sends them; "" when none does.
func (j *Jar) Header(u *url.URL) string {
	j.mu.Lock()
	defer j.mu.Unlock()
	if len(j.cookies) == 0 {
		return ""
	}
	host := canonicalHost(u.Hostname())
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	secure := u.Scheme == "https" || u.Scheme == "wss"
	if j.cached && j.timed == 0 && j.cacheSecure == secure && j.cacheHost == host && j.cachePath == path {
		return j.cacheValue
	}
	var now int64
	if j.timed > 0 {
		now = time.Now().UnixMilli()
		for i := len(j.cookies) - 1; i >= 0; i-- {
			if j.cookies[i].expired(now) {
				j.remove(i)
			}
		}
	}
	var buf [16]int
	match := buf[:0]
	size := 0
	for i := range j.cookies {
		c := &j.cookies[i]
		if c.secure && !secure || !c.matches(host, path) {
			continue
		}
		match = append(match, i)
		size += len(c.name) + 1 + len(c.value) + 2
	}
	// Longest path first, then in the order first set (tough-cookie's
	// cookieCompare): a stable insertion sort of a short list.
	for a := 1; a < len(match); a++ {
		for b := a; b > 0 && len(j.cookies[match[b]].path) > len(j.cookies[match[b-1]].path); b-- {
			match[b], match[b-1] = match[b-1], match[b]
		}
	}
	var sb strings.Builder
	sb.Grow(size)
	j.tick++
	for k, i := range match {
		c := &j.cookies[i]
		c.used = j.tick
		if c.maxAge > 0 {
			c.lastUse = now
		}
		if k > 0 {
			sb.WriteString("; ")
		}
		if c.name != "" {
			sb.WriteString(c.name)
			sb.WriteByte('=')
		}
		sb.WriteString(c.value)
	}
	j.cached, j.cacheHost, j.cachePath, j.cacheSecure, j.cacheValue = true, host, path, secure, sb.String()
	return j.cacheValue
}

func (c *jarCookie) matches(host, path string) bool {
	if c.hostOnly {
		if c.domain != host {
			return false
		}
	} else if !domainMatch(host, c.domain) {
		return false
	}
	return pathMatch(path, c.path)
}

// parsedCookie is a Set-Cookie field's cookie before the jar places it.
type parsedCookie struct {
	jarCookie
	maxAgeSet bool
}

// parseSetCookie parses a Set-Cookie value as tough-cookie's Cookie.parse
// (strict mode) does.
func parseSetCookie(s string, now int64) (parsedCookie, bool) {
	var c parsedCookie
	s = jsTrim(s)
	pair, attrs, hasAttrs := strings.Cut(s, ";")
	for _, t := range []byte{'\n', '\r', 0} { // Chromium's terminators, as tough-cookie cuts them
		if i := strings.IndexByte(pair, t); i >= 0 {
			pair = pair[:i]
		}
	}
	eq := strings.IndexByte(pair, '=')
	if eq <= 0 {
		return c, false
	}
	c.name, c.value = jsTrim(pair[:eq]), jsTrim(pair[eq+1:])
	if hasControl(c.name) || hasControl(c.value) {
		return c, false
	}
	c.lastUse = now
	if !hasAttrs {
		return c, true
	}
	for attrs != "" {
		var av string
		av, attrs, _ = strings.Cut(attrs, ";")
		av = jsTrim(av)
		if av == "" {
			continue
		}
		key, val, _ := strings.Cut(av, "=")
		key, val = strings.ToLower(jsTrim(key)), jsTrim(val)
		switch key {
		case "expires":
			if t, ok := parseCookieDate(val); ok {
				c.expires, c.hasExpires = t, true
			}
		case "max-age":
			if maxAgeSyntax(val) {
				n, err := strconv.ParseInt(val, 10, 64)
				if err != nil { // beyond int64: as far as it goes
					n = 1 << 40
					if val[0] == '-' {
						n = -n
					}
				}
				c.maxAgeSet = true
				c.maxAge = min(max(n, -1<<40), 1<<40) * 1000
			}
		case "domain":
			if d := strings.TrimPrefix(val, "."); d != "" {
				c.domain = strings.ToLower(d)
			}
		case "path":
			if strings.HasPrefix(val, "/") {
				c.path = val
			} else {
				c.path = ""
			}
		case "secure":
			c.secure = true
		}
	}
	return c, true
}

func maxAgeSyntax(v string) bool {
	d := strings.TrimPrefix(v, "-")
	if d == "" {
		return false
	}
	for i := 0; i < len(d); i++ {
		if d[i] < '0' || d[i] > '9' {
			return false
		}
	}
	return true
}

func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 {
			return true
		}
	}
	return false
}

// jsTrim trims what JavaScript's String.prototype.trim trims from a
// header value Node decoded as Latin-1: ASCII white space and 0xA0.
func jsTrim(s string) string {
	isSpace := func(b byte) bool {
		return b == ' ' || b == '\t' || b == '\n' || b == '\v' || b == '\f' || b == '\r' || b == 0xa0
	}
	for len(s) > 0 && isSpace(s[0]) {
		s = s[1:]
	}
	for len(s) > 0 && isSpace(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}

// canonicalHost is a URL's host as the jar compares it.
func canonicalHost(h string) string {
	return strings.ToLower(strings.TrimPrefix(h, "."))
}

// domainMatch is RFC 6265's domain-match, which an IP address matches
// only exactly.
func domainMatch(host, domain string) bool {
	if host == domain {
		return true
	}
	return len(host) > len(domain) && strings.HasSuffix(host, domain) &&
		host[len(host)-len(domain)-1] == '.' && net.ParseIP(host) == nil
}

// publicSuffix says whether tough-cookie refuses domain as a cookie's
// Domain: a public suffix, an IPv4 address, or a special-use top-level
// name on its own (local, example, test).
func publicSuffix(domain string) bool {
	if ip := net.ParseIP(strings.Trim(domain, "[]")); ip != nil {
		return ip.To4() != nil // tough-cookie lets an IPv6 address through
	}
	labels := strings.Split(domain, ".")
	switch tld := labels[len(labels)-1]; tld {
	case "local", "example", "invalid", "localhost", "test":
		return len(labels) == 1 && tld != "localhost" && tld != "invalid"
	}
	_, err := publicsuffix.EffectiveTLDPlusOne(domain)
	return err != nil
}

// defaultPath is RFC 6265's default-path of a request path.
func defaultPath(p string) string {
	if !strings.HasPrefix(p, "/") {
		return "/"
	}
	i := strings.LastIndexByte(p, '/')
	if i == 0 {
		return "/"
	}
	return p[:i]
}

// pathMatch is tough-cookie's path-match.
func pathMatch(req, cookie string) bool {
	if req == cookie {
		return true
	}
	if !strings.HasPrefix(req, cookie) {
		return false
	}
	return strings.HasSuffix(cookie, "/") || req[len(cookie)] == '/'
}

// parseCookieDate parses a cookie date by RFC 6265 section 5.1.1, as
// tough-cookie's parseDate does; the result is Unix milliseconds.
func parseCookieDate(s string) (int64, bool) {
	hour, minute, second, day, month, year := -1, -1, -1, -1, -1, -1
	isDelim := func(r rune) bool {
		return r == 0x09 || r >= 0x20 && r <= 0x2f || r >= 0x3b && r <= 0x40 || r >= 0x5b && r <= 0x60 || r >= 0x7b && r <= 0x7e
	}
	for _, tok := range strings.FieldsFunc(s, isDelim) {
		if second < 0 {
			if h, m, sec, ok := parseCookieTime(tok); ok {
				hour, minute, second = h, m, sec
				continue
			}
		}
		if day < 0 {
			if n, ok := cookieDigits(tok, 1, 2, true); ok {
				day = n
				continue
			}
		}
		if month < 0 && len(tok) >= 3 {
			if m := strings.Index("janfebmaraprmayjunjulaugsepoctnovdec", strings.ToLower(tok[:3])); m >= 0 && m%3 == 0 {
				month = m / 3
				continue
			}
		}
		if year < 0 {
			if n, ok := cookieDigits(tok, 2, 4, true); ok {
				switch {
				case n >= 70 && n <= 99:
					n += 1900
				case n <= 69:
					n += 2000
				}
				year = n
			}
		}
	}
	if day < 1 || day > 31 || month < 0 || year < 1601 || hour < 0 || hour > 23 || minute > 59 || second > 59 {
		return 0, false
	}
	return time.Date(year, time.Month(month+1), day, hour, minute, second, 0, time.UTC).UnixMilli(), true
}

func parseCookieTime(tok string) (h, m, s int, ok bool) {
	parts := strings.Split(tok, ":")
	if len(parts) != 3 {
		return 0, 0, 0, false
	}
	var v [3]int
	for i, p := range parts {
		if v[i], ok = cookieDigits(p, 1, 2, i == 2); !ok {
			return 0, 0, 0, false
		}
	}
	return v[0], v[1], v[2], true
}

func cookieDigits(tok string, least, most int, trailingOK bool) (int, bool) {
	n := 0
	for n < len(tok) && tok[n] >= '0' && tok[n] <= '9' {
		n++
	}
	if n < least || n > most || !trailingOK && n != len(tok) {
		return 0, false
	}
	v, _ := strconv.Atoi(tok[:n])
	return v, true
}
