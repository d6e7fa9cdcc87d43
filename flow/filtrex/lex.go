package filtrex

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/surge-dev/surge/templating"
)

// kind is a token kind; operators are their own text.
type kind uint8

const (
	tEOF kind = iota
	tOp       // text holds the operator or keyword
	tNumber
	tSymbol
	tString
)

type token struct {
	kind kind
	text string  // operator, symbol name or string value
	num  float64 // tNumber
	pos  int     // byte offset, for messages
}

// operators are tried in filtrex's rule order: the first that matches wins,
// which is why "<=" must come before "<".
var operators = []string{"*", "/", "-", "+", "^", "%", "(", ")", ",", "==", "!=", "~=", ">=", "<=", "<", ">", "?", ":"}

// keywords match only when a non-word character follows, and that
// character is consumed with them (a filtrex 2 quirk kept on purpose).
var keywords = []string{"and", "or", "not", "in", "of"}

// lex splits src into tokens, ending with tEOF.
func lex(src string) ([]token, error) {
	var toks []token
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRuneInString(src[i:])
		if templating.IsJSSpace(r) {
			i += size
			continue
		}
		tok, n, err := lexOne(src, i)
		if err != nil {
			return nil, err
		}
		toks = append(toks, tok)
		i += n
	}
	return append(toks, token{kind: tEOF, pos: len(src)}), nil
}

// lexOne reads the token at src[i:] and its length.
func lexOne(src string, i int) (token, int, error) {
	rest := src[i:]
	for _, op := range operators {
		if strings.HasPrefix(rest, op) {
			return token{kind: tOp, text: op, pos: i}, len(op), nil
		}
	}
	for _, kw := range keywords {
		if len(rest) > len(kw) && strings.HasPrefix(rest, kw) && !isWord(rest[len(kw)]) {
			_, size := utf8.DecodeRuneInString(rest[len(kw):])
			return token{kind: tOp, text: kw, pos: i}, len(kw) + size, nil
		}
	}
	c := rest[0]
	switch {
	case c >= '0' && c <= '9':
		return lexNumber(rest, i)
	case isSymbolStart(c):
		n := 1
		for n < len(rest) && (isSymbolStart(rest[n]) || rest[n] == '.' || (rest[n] >= '0' && rest[n] <= '9')) {
			n++
		}
		return token{kind: tSymbol, text: rest[:n], pos: i}, n, nil
	case c == '\'' || c == '"':
		return lexQuoted(rest, i)
	}
	return token{}, 0, fmt.Errorf("unexpected %q at offset %d", rest[:1], i)
}

func isWord(c byte) bool {
	return c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

func isSymbolStart(c byte) bool {
	return c == '$' || c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

// lexNumber reads digits with an optional fraction; a word character
// right after the number is an error, as filtrex's \b demands.
func lexNumber(rest string, i int) (token, int, error) {
	n := 0
	for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
		n++
	}
	if n+1 < len(rest) && rest[n] == '.' && rest[n+1] >= '0' && rest[n+1] <= '9' {
		n++
		for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
			n++
		}
	}
	if n < len(rest) && isWord(rest[n]) {
		return token{}, 0, fmt.Errorf("malformed number at offset %d", i)
	}
	f, _ := strconv.ParseFloat(rest[:n], 64)
	return token{kind: tNumber, num: f, pos: i}, n, nil
}

// lexQuoted reads a 'symbol' or "string". Only the quote itself and the
// backslash may be escaped.
func lexQuoted(rest string, i int) (token, int, error) {
	quote := rest[0]
	var b strings.Builder
	for n := 1; n < len(rest); n++ {
		switch c := rest[n]; c {
		case quote:
			k := tString
			if quote == '\'' {
				k = tSymbol
			}
			return token{kind: k, text: b.String(), pos: i}, n + 1, nil
		case '\\':
			if n+1 >= len(rest) || (rest[n+1] != quote && rest[n+1] != '\\') {
				return token{}, 0, fmt.Errorf("bad escape in quoted text at offset %d", i+n)
			}
			n++
			b.WriteByte(rest[n])
		default:
			b.WriteByte(c)
		}
	}
	return token{}, 0, fmt.Errorf("unterminated quoted text at offset %d", i)
}
