package h1

// tchar marks the bytes allowed in a token (RFC 9110 section 5.6.2):
// methods and header field names.
var tchar = func() (t [256]bool) {
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
		t[c-'a'+'A'] = true
	}
	for _, c := range "!#$%&'*+-.^_`|~" {
		t[c] = true
	}
	return t
}()

func validToken[T string | []byte](s T) bool {
	if len(s) == 0 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !tchar[s[i]] {
			return false
		}
	}
	return true
}

// validValue rejects control characters other than HTAB: a CR or LF in a
// value would end the line early and let the rest pose as another field.
func validValue[T string | []byte](s T) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < ' ' && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}

// trimOWS strips the optional white space around a field value.
func trimOWS[T string | []byte](s T) T {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
}

// trimRightOWS strips the optional white space at the end of s.
func trimRightOWS(s []byte) []byte {
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
}

// canonicalize rewrites a valid field name in place the way
// http.CanonicalHeaderKey spells it: upper case after the start and after
// each hyphen, lower case elsewhere.
func canonicalize(b []byte) {
	upper := true
	for i, c := range b {
		switch {
		case upper && 'a' <= c && c <= 'z':
			b[i] = c - 'a' + 'A'
		case !upper && 'A' <= c && c <= 'Z':
			b[i] = c - 'A' + 'a'
		}
		upper = c == '-'
	}
}

// hasToken reports whether a comma-separated header field (Connection)
// lists token, ignoring case.
func hasToken[T string | []byte](values []T, token string) bool {
	for _, v := range values {
		for len(v) > 0 {
			var item T
			item, v = cutComma(v)
			if equalFold(trimOWS(item), token) {
				return true
			}
		}
	}
	return false
}

func cutComma[T string | []byte](s T) (before, after T) {
	for i := 0; i < len(s); i++ {
		if s[i] == ',' {
			return s[:i], s[i+1:]
		}
	}
	return s, s[len(s):]
}

// equalFold compares ASCII strings ignoring case, without the Unicode
// folding of strings.EqualFold that header tokens never need.
func equalFold[T string | []byte](a T, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if lower(a[i]) != lower(b[i]) {
			return false
		}
	}
	return true
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
