package h1_test

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

const (
	okLine  = "HTTP/1.1 200 OK\r\n"
	okReply = okLine + "Content-Length: 2\r\n\r\nok"
	chunked = okLine + "Transfer-Encoding: chunked\r\n\r\n"
	// hung is the timeout of a request nobody will answer: short, since
	// both clients must give up on it whatever the machine's load.
	hung = 300 * time.Millisecond
)

// Verdicts of the documented differences (doc.go).
var (
	malformed = &verdict{Err: "EPROTO"}
	answered  = &verdict{Code: 200}
)

// withStatus is okReply with its status line replaced.
func withStatus(line string) string {
	return line + "\r\nContent-Length: 2\r\n\r\nok"
}

// fields is n small header fields.
func fields(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString("X-F" + strconv.Itoa(i) + ": v\r\n")
	}
	return b.String()
}

func TestDifferentialStatusLine(t *testing.T) {
	differential(t, []rawCase{
		{name: "HTTP/1.0", script: script{reply: withStatus("HTTP/1.0 200 OK")}},
		{name: "HTTP/1.0 keep-alive", script: script{reply: "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok"}},
		{name: "no reason", script: script{reply: withStatus("HTTP/1.1 200")}},
		{name: "empty reason", script: script{reply: withStatus("HTTP/1.1 200 ")}},
		{name: "odd reason", script: script{reply: withStatus("HTTP/1.1 201 Fine Thanks")}},
		{name: "two spaces", script: script{reply: withStatus("HTTP/1.1  200 OK")}},
		{name: "HTTP/1.2", script: script{reply: withStatus("HTTP/1.2 200 OK")}},
		{name: "HTTP/1.9 chunked", script: script{reply: "HTTP/1.9 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n"}},
		{name: "HTTP/1.9 with close", script: script{reply: "HTTP/1.9 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok"}},
		{name: "code 600", script: script{reply: withStatus("HTTP/1.1 600 Odd")}},
		{name: "code 999", script: script{reply: withStatus("HTTP/1.1 999 Odd")}},
		{name: "lower-case version", script: script{reply: withStatus("http/1.1 200 OK")}},
		{name: "version without minor", script: script{reply: withStatus("HTTP/2 200 OK")}},
		{name: "leading space", script: script{reply: withStatus(" HTTP/1.1 200 OK")}},
		{name: "leading CRLF", script: script{reply: "\r\n" + okReply}},
		{name: "tab after code", script: script{reply: withStatus("HTTP/1.1 200\tOK")}},
		{name: "two-digit code", script: script{reply: withStatus("HTTP/1.1 20 OK")}},
		{name: "four-digit code", script: script{reply: withStatus("HTTP/1.1 2000 OK")}},
		{name: "letter in code", script: script{reply: withStatus("HTTP/1.1 2x0 OK")}},
		{name: "negative code", script: script{reply: withStatus("HTTP/1.1 -20 OK")}},
		{name: "no space before the reason", script: script{reply: withStatus("HTTP/1.1 200OK")}},
		{name: "trailing space", script: script{reply: withStatus("HTTP/1.1 200 OK ")}},
		{name: "CR in the reason", script: script{reply: withStatus("HTTP/1.1 200 O\rK")}},
		{name: "NUL in the reason", script: script{reply: withStatus("HTTP/1.1 200 O\x00K")}},
		{name: "reason not UTF-8", script: script{reply: withStatus("HTTP/1.1 200 \xff\xfe")}},
		{name: "two-digit minor version", script: script{reply: withStatus("HTTP/1.10 200 OK")}},
		{name: "tab after the version", script: script{reply: withStatus("HTTP/1.1\t200 OK")}},
		{name: "version alone", script: script{reply: withStatus("HTTP/1.1")}},
		{name: "not HTTP", script: script{reply: withStatus("ICY 200 OK")}},
		{name: "garbage, then close", script: script{reply: "hello\r\n\r\n", then: hangUp}},
		// doc.go: the status line must be HTTP/1.x, the code from 100.
		{name: "HTTP/0.9", script: script{reply: withStatus("HTTP/0.9 200 OK")}, lean: malformed, std: answered},
		{name: "HTTP/2.0", script: script{reply: withStatus("HTTP/2.0 200 OK")}, lean: malformed, std: answered},
		{name: "code 099", script: script{reply: withStatus("HTTP/1.1 099 Odd")}, lean: malformed, std: &verdict{Code: 99}},
		{name: "code 000", script: script{reply: withStatus("HTTP/1.1 000 Odd")}, lean: malformed, std: &verdict{Code: 0}},
		{name: "signed code", script: script{reply: withStatus("HTTP/1.1 +99 Odd")}, lean: malformed, std: &verdict{Code: 99}},
	})
}

func TestDifferentialInterim(t *testing.T) {
	const hints = "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\nLink: </b.js>\r\n\r\n"
	differential(t, []rawCase{
		{name: "100 unasked", script: script{reply: "HTTP/1.1 100 Continue\r\n\r\n" + okReply}},
		{name: "103 with fields", script: script{reply: hints + okReply}},
		{name: "five 1xx", script: script{reply: strings.Repeat(hints, 5) + okReply}},
		{name: "twenty 1xx", script: script{reply: strings.Repeat(hints, 20) + okReply}},
		{name: "199", script: script{reply: "HTTP/1.1 199 Odd\r\nX-A: 1\r\n\r\n" + okReply}},
		{name: "1xx with a body", script: script{reply: "HTTP/1.1 100 Continue\r\nContent-Length: 2\r\n\r\nxx" + okReply}},
		{name: "1xx then close", script: script{reply: "HTTP/1.1 100 Continue\r\n\r\n", then: hangUp}},
		{name: "1xx then nothing", script: script{reply: "HTTP/1.1 100 Continue\r\n\r\n", then: sulk}, timeout: hung},
		{name: "1xx cut short", script: script{reply: "HTTP/1.1 100 Cont", then: hangUp}},
		{name: "1xx in HTTP/1.0", script: script{reply: "HTTP/1.0 100 Continue\r\n\r\n" + okReply}},
		{name: "100 with Connection: close", script: script{reply: "HTTP/1.1 100 Continue\r\nConnection: close\r\n\r\n" + okReply}},
		{name: "100 to HEAD", method: "HEAD", script: script{reply: "HTTP/1.1 100 Continue\r\n\r\n" + okLine + "Content-Length: 5\r\n\r\n"}},
		{name: "103 then 204", script: script{reply: hints + "HTTP/1.1 204 No Content\r\n\r\n"}},
		{name: "1xx without a colon", script: script{reply: "HTTP/1.1 103 Early Hints\r\nno colon\r\n\r\n" + okReply}},
		// net/http checks the framing fields of a 1xx head as it does a
		// final head's, though no body follows.
		{name: "1xx chunked", script: script{reply: "HTTP/1.1 100 Continue\r\nTransfer-Encoding: chunked\r\n\r\n" + okReply}},
		{name: "1xx with a gzip coding", script: script{reply: "HTTP/1.1 100 Continue\r\nTransfer-Encoding: gzip\r\n\r\n" + okReply}},
		{name: "1xx with two lengths that differ", script: script{reply: "HTTP/1.1 100 Continue\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n" + okReply}},
		{name: "1xx with a bad length", script: script{reply: "HTTP/1.1 100 Continue\r\nContent-Length: x\r\n\r\n" + okReply}},
		{name: "1xx chunked, announcing a Content-Length trailer", script: script{reply: "HTTP/1.1 100 Continue\r\nTransfer-Encoding: chunked\r\nTrailer: Content-Length\r\n\r\n" + okReply}},
		// doc.go: no request here asks for a 101; heads are bounded at 64 KB.
		{name: "101 unasked", script: script{reply: "HTTP/1.1 101 Switching Protocols\r\nContent-Length: 0\r\n\r\n"},
			lean: malformed, std: &verdict{Code: 101}},
		{name: "101 unasked, with Upgrade", script: script{reply: "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"},
			lean: malformed, std: &verdict{Code: 101}},
		{name: "1xx heads over 64 KB in all", script: script{reply: strings.Repeat("HTTP/1.1 103 Early Hints\r\nLink: <"+strings.Repeat("a", 4<<10)+">\r\n\r\n", 20) + okReply},
			lean: malformed, std: answered},
		// doc.go: the rules of a head hold for a 1xx head too.
		{name: "1xx in HTTP/2.0", script: script{reply: "HTTP/2.0 100 Continue\r\n\r\n" + okReply}, lean: malformed, std: answered},
		{name: "1xx with a space before a colon", script: script{reply: "HTTP/1.1 103 Early Hints\r\nLink : </a>\r\n\r\n" + okReply},
			lean: malformed, std: answered},
	})
}

func TestDifferentialNoBody(t *testing.T) {
	differential(t, []rawCase{
		{name: "204 with a body", script: script{reply: "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nhello"}},
		{name: "204 with a length", script: script{reply: "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n"}},
		{name: "204 chunked", script: script{reply: "HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\n\r\n"}},
		{name: "304 with a body", script: script{reply: "HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\nhello"}},
		{name: "HEAD with a length", method: "HEAD", script: script{reply: okLine + "Content-Length: 5\r\n\r\n"}},
		{name: "HEAD with a body", method: "HEAD", script: script{reply: okLine + "Content-Length: 5\r\n\r\nhello"}},
		{name: "HEAD chunked", method: "HEAD", script: script{reply: chunked}},
		{name: "HEAD without a length", method: "HEAD", script: script{reply: okLine + "\r\n"}},
		{name: "HEAD chunked with a body", method: "HEAD", script: script{reply: chunked + "2\r\nok\r\n0\r\n\r\n"}},
		{name: "HEAD with a bad length", method: "HEAD", script: script{reply: okLine + "Content-Length: x\r\n\r\n"}},
		{name: "HEAD with two lengths that differ", method: "HEAD", script: script{reply: okLine + "Content-Length: 1\r\nContent-Length: 2\r\n\r\n"}},
		{name: "HEAD with a gzip coding", method: "HEAD", script: script{reply: okLine + "Transfer-Encoding: gzip\r\n\r\n"}},
		{name: "HEAD in HTTP/1.0", method: "HEAD", script: script{reply: "HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\n"}},
		{name: "204 with a body and no length", script: script{reply: "HTTP/1.1 204 No Content\r\n\r\nhello"}},
		{name: "204 with a bad length", script: script{reply: "HTTP/1.1 204 No Content\r\nContent-Length: x\r\n\r\n"}},
		{name: "304 with a length", script: script{reply: "HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n"}},
		{name: "304 chunked with a last chunk", script: script{reply: "HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"}},
		{name: "304 with a gzip coding", script: script{reply: "HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: gzip\r\n\r\n"}},
		{name: "205 with a body", script: script{reply: "HTTP/1.1 205 Reset Content\r\nContent-Length: 5\r\n\r\nhello"}},
		{name: "a zero length and a body", script: script{reply: okLine + "Content-Length: 0\r\n\r\nhello"}},
	})
}

func TestDifferentialContentLength(t *testing.T) {
	length := func(v string) script { return script{reply: okLine + "Content-Length:" + v + "\r\n\r\nok"} }
	differential(t, []rawCase{
		{name: "twice the same", script: script{reply: okLine + "Content-Length: 2\r\n" + okReply[len(okLine):]}},
		{name: "two that differ", script: script{reply: okLine + "Content-Length: 3\r\n" + okReply[len(okLine):]}},
		{name: "twice, spaced differently", script: script{reply: okLine + "Content-Length: 2\r\nContent-Length:  2 \t\r\n\r\nok"}},
		{name: "twice, with leading zeros once", script: script{reply: okLine + "Content-Length: 2\r\nContent-Length: 02\r\n\r\nok"}},
		{name: "twice, once empty", script: script{reply: okLine + "Content-Length: 2\r\nContent-Length:\r\n\r\nok"}},
		{name: "a list that differs", script: length(" 2, 3")},
		{name: "a list", script: length(" 2, 2")},
		{name: "plus sign", script: length(" +2")},
		{name: "negative", script: length(" -1")},
		{name: "white space", script: length("  2 \t")},
		{name: "inner space", script: length(" 2 2")},
		{name: "leading zeros", script: length(" 0002")},
		{name: "20 digits with leading zeros", script: length(" 00000000000000000002")},
		{name: "19 digits", script: script{reply: okLine + "Content-Length: 1000000000000000000\r\n\r\nok", then: hangUp}},
		{name: "the largest int64", script: script{reply: okLine + "Content-Length: 9223372036854775807\r\n\r\nok", then: hangUp}},
		{name: "overflow by one", script: length(" 9223372036854775808")},
		{name: "overflow", script: length(" 99999999999999999999")},
		{name: "empty", script: length("")},
		{name: "hex", script: length(" 0x2")},
	})
}

func TestDifferentialTransferEncoding(t *testing.T) {
	coding := func(v string) script {
		return script{reply: okLine + "Transfer-Encoding:" + v + "\r\n\r\n2\r\nok\r\n0\r\n\r\n", then: hangUp}
	}
	differential(t, []rawCase{
		{name: "chunked and a length", script: script{reply: okLine + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n2\r\nok\r\n0\r\n\r\n"}},
		{name: "upper case", script: coding(" CHUNKED")},
		{name: "gzip", script: coding(" gzip")},
		{name: "identity", script: coding(" identity")},
		{name: "chunked, identity", script: coding(" chunked, identity")},
		{name: "empty", script: coding("")},
		{name: "twice", script: script{reply: okLine + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n"}},
		{name: "in HTTP/1.0", script: script{reply: "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n", then: hangUp}},
		{name: "in HTTP/1.0 with a length", script: script{reply: "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\nok", then: hangUp}},
		{name: "chunked and two lengths that differ", script: script{reply: okLine + "Transfer-Encoding: chunked\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n2\r\nok\r\n0\r\n\r\n"}},
		{name: "chunked and a bad length", script: script{reply: okLine + "Transfer-Encoding: chunked\r\nContent-Length: x\r\n\r\n2\r\nok\r\n0\r\n\r\n"}},
		{name: "chunked with a parameter", script: coding(" chunked;q=1")},
		{name: "chunked, chunked", script: coding(" chunked, chunked")},
		{name: "folded", script: coding("\r\n chunked")},
	})
}

func TestDifferentialChunks(t *testing.T) {
	chunks := func(s string) script { return script{reply: chunked + s} }
	differential(t, []rawCase{
		{name: "extensions", script: chunks("2;a=b\r\nok\r\n0;x\r\n\r\n")},
		{name: "quoted extension", script: chunks("2;a=\"b;c\"\r\nok\r\n0\r\n\r\n")},
		{name: "long extension", script: chunks("2;" + strings.Repeat("e", 3000) + "\r\nok\r\n0\r\n\r\n")},
		{name: "white space after size", script: chunks("2 \t\r\nok\r\n0\r\n\r\n")},
		{name: "white space before size", script: chunks(" 2\r\nok\r\n0\r\n\r\n")},
		{name: "upper-case hex", script: chunks("A\r\n0123456789\r\n0\r\n\r\n")},
		{name: "leading zeros", script: chunks("0002\r\nok\r\n0\r\n\r\n")},
		{name: "16 digits", script: chunks("0000000000000002\r\nok\r\n0\r\n\r\n")},
		{name: "17 digits", script: chunks("00000000000000002\r\nok\r\n0\r\n\r\n")},
		{name: "the largest size", script: script{reply: chunked + "ffffffffffffffff\r\nok", then: hangUp}},
		{name: "white space before an extension", script: chunks("2 ;a=b\r\nok\r\n0\r\n\r\n")},
		{name: "white space after an extension", script: chunks("2;a=b \t\r\nok\r\n0\r\n\r\n")},
		{name: "CR in an extension", script: chunks("2;a\rb\r\nok\r\n0\r\n\r\n")},
		{name: "line over 4 KB", script: chunks("2;" + strings.Repeat("e", 4100) + "\r\nok\r\n0\r\n\r\n")},
		{name: "long extensions on little data", script: chunks(strings.Repeat("1;"+strings.Repeat("e", 1000)+"\r\nx\r\n", 20) + "0\r\n\r\n")},
		{name: "long extensions on enough data", script: chunks(strings.Repeat("258;"+strings.Repeat("e", 1000)+"\r\n"+strings.Repeat("x", 600)+"\r\n", 20) + "0\r\n\r\n")},
		{name: "bare LF after a size", script: chunks("2\nok\r\n0\r\n\r\n")},
		{name: "bare LF after data", script: chunks("2\r\nok\n0\r\n\r\n")},
		{name: "bare LF after the last chunk", script: chunks("2\r\nok\r\n0\n\r\n")},
		{name: "bare LF as a size line", script: chunks("\nok\r\n0\r\n\r\n")},
		{name: "0x", script: chunks("0x2\r\nok\r\n0\r\n\r\n")},
		{name: "negative", script: chunks("-2\r\nok\r\n0\r\n\r\n")},
		{name: "empty size", script: chunks("\r\nok\r\n0\r\n\r\n")},
		{name: "NUL after size", script: chunks("2\x00\r\nok\r\n0\r\n\r\n")},
		{name: "not chunked at all", script: chunks("hello world\r\n")},
		{name: "no CRLF after data", script: chunks("2\r\nokX0\r\n\r\n")},
		{name: "cut in a chunk", script: script{reply: chunked + "5\r\nok", then: hangUp}},
		{name: "no last chunk", script: script{reply: chunked + "2\r\nok\r\n", then: hangUp}},
		{name: "cut in a chunk, kept open", script: script{reply: chunked + "5\r\nok", then: sulk}, timeout: hung},
		{name: "reset in a chunk", script: script{reply: chunked + "5\r\nok", then: reset}},
		{name: "size 2^63, then close", script: script{reply: chunked + "8000000000000000\r\nok", then: hangUp}},
		{name: "garbage after the size", script: chunks("2x\r\nok\r\n0\r\n\r\n")},
		{name: "plus sign", script: chunks("+2\r\nok\r\n0\r\n\r\n")},
		{name: "extension without a size", script: chunks(";a\r\nok\r\n0\r\n\r\n")},
		{name: "10,000 chunks of a byte", script: chunks(strings.Repeat("1\r\nx\r\n", 10000) + "0\r\n\r\n")},
		{name: "bytes after the last chunk", script: chunks("2\r\nok\r\n0\r\n\r\nEXTRA")},
		{name: "a second response after the last chunk", script: chunks("2\r\nok\r\n0\r\n\r\n" + okReply)},
	})
}

func TestDifferentialTrailers(t *testing.T) {
	trailers := func(s string) script { return script{reply: chunked + "2\r\nok\r\n0\r\n" + s} }
	differential(t, []rawCase{
		{name: "fields", script: trailers("X-Sum: 1\r\nX-B: 2\r\n\r\n")},
		{name: "folded", script: trailers("X-A: a\r\n b\r\n\r\n")},
		{name: "bare LF inside", script: trailers("X-A: a\nX-B: b\r\n\r\n")},
		{name: "line over the read buffer", script: trailers("X-A: " + strings.Repeat("v", 5000) + "\r\n\r\n")},
		{name: "close after the last chunk", script: script{reply: chunked + "2\r\nok\r\n0\r\n", then: hangUp}},
		{name: "close after a CR", script: script{reply: chunked + "2\r\nok\r\n0\r\n\r", then: hangUp}},
		{name: "over the read buffer in all", script: trailers(strings.Repeat("X-A: "+strings.Repeat("v", 500)+"\r\n", 10) + "\r\n")},
		{name: "just within the read buffer", script: trailers("X-A: " + strings.Repeat("v", 4096-9) + "\r\n\r\n")},
		{name: "just over the read buffer", script: trailers("X-A: " + strings.Repeat("v", 4096-8) + "\r\n\r\n")},
		{name: "no colon", script: trailers("no colon\r\n\r\n")},
		{name: "empty name", script: trailers(": v\r\n\r\n")},
		{name: "NUL in a value", script: trailers("X-A: a\x00b\r\n\r\n")},
		{name: "folded first line", script: trailers(" X-A: a\r\n\r\n")},
		{name: "control in a folded line", script: trailers("X-A: a\r\n b\x01\r\n\r\n")},
		{name: "bare LF before the end", script: script{reply: chunked + "2\r\nok\r\n0\r\nX-A: a\n\r\n", then: hangUp}},
		{name: "bare LF ends", script: script{reply: chunked + "2\r\nok\r\n0\r\nX-A: a\n\n", then: hangUp}},
		{name: "bare LF as the end", script: script{reply: chunked + "2\r\nok\r\n0\r\n\n\r\n", then: hangUp}},
		{name: "never ended, connection kept", script: trailers("X-A: 1\r\n"), timeout: hung},
		// doc.go: a name is a token up to its colon; a cut is a close; the
		// section ends in CRLF CRLF, or fails at once.
		{name: "space in a name", script: trailers("X A: 1\r\n\r\n"), lean: &verdict{200, "EPROTO"}, std: answered},
		{name: "cut short", script: script{reply: chunked + "2\r\nok\r\n0\r\nX-A: 1\r\n", then: hangUp},
			lean: &verdict{200, "ECONNCLOSED"}, std: &verdict{200, "EPROTO"}},
		{name: "bare LF ends, connection kept", script: trailers("X-A: a\n\n"), timeout: hung,
			lean: &verdict{200, "EPROTO"}, std: &verdict{200, "ETIMEDOUT"}},
		{name: "bare LF as the end, then the close", script: script{reply: chunked + "2\r\nok\r\n0\r\n\n", then: hangUp},
			lean: &verdict{200, "EPROTO"}, std: &verdict{200, "ECONNCLOSED"}},
	})
}

// TestDifferentialTrailerField: a chunked response's Trailer field may not
// announce the framing fields (RFC 9110 section 6.5.1), which net/http
// checks whether or not a body follows.
func TestDifferentialTrailerField(t *testing.T) {
	announce := func(status, names string) script {
		return script{reply: status + "\r\nTransfer-Encoding: chunked\r\nTrailer: " + names + "\r\n\r\n2\r\nok\r\n0\r\n\r\n"}
	}
	differential(t, []rawCase{
		{name: "X-Sum", script: announce("HTTP/1.1 200 OK", "X-Sum")},
		{name: "X-Sum, trailers sent", script: script{reply: chunked[:len(chunked)-2] + "Trailer: X-Sum\r\n\r\n2\r\nok\r\n0\r\nX-Sum: 1\r\n\r\n"}},
		{name: "Content-Length", script: announce("HTTP/1.1 200 OK", "Content-Length")},
		{name: "transfer-encoding in a list", script: announce("HTTP/1.1 200 OK", "X-A, transfer-encoding")},
		{name: "Trailer", script: announce("HTTP/1.1 200 OK", " Trailer ")},
		{name: "Content-Length in a 204", script: script{reply: "HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\nTrailer: Content-Length\r\n\r\n"}},
		{name: "Content-Length to HEAD", method: "HEAD", script: script{reply: okLine + "Transfer-Encoding: chunked\r\nTrailer: Content-Length\r\n\r\n"}},
		{name: "Content-Length, not chunked", script: script{reply: okLine + "Trailer: Content-Length\r\nContent-Length: 2\r\n\r\nok"}},
		{name: "Content-Length, in HTTP/1.0", script: script{reply: "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: Content-Length\r\nContent-Length: 2\r\n\r\nok"}},
	})
}

func TestDifferentialBodyLength(t *testing.T) {
	differential(t, []rawCase{
		{name: "shorter than its length", script: script{reply: okLine + "Content-Length: 10\r\n\r\nok", then: hangUp}},
		{name: "longer than its length", script: script{reply: okReply + "EXTRA"}},
		{name: "until close", script: script{reply: okLine + "\r\nall of it", then: hangUp}},
		{name: "until a close that never comes", script: script{reply: okLine + "\r\nall of it", then: sulk}, timeout: hung},
		{name: "until a reset", script: script{reply: okLine + "\r\nall of it", then: reset}},
		{name: "until a half close", script: script{reply: okLine + "\r\nall of it", then: halfClose}},
		{name: "empty, until close", script: script{reply: okLine + "\r\n", then: hangUp}},
		{name: "until close, with keep-alive", script: script{reply: okLine + "Connection: keep-alive\r\n\r\nall of it", then: hangUp}},
		{name: "HTTP/1.0 until close", script: script{reply: "HTTP/1.0 200 OK\r\n\r\nall of it", then: hangUp}},
		{name: "HTTP/1.0 until close, with keep-alive", script: script{reply: "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n\r\nall of it", then: hangUp}},
		{name: "HTTP/1.0 with a length, then close", script: script{reply: "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok", then: hangUp}},
		{name: "shorter than its length, kept open", script: script{reply: okLine + "Content-Length: 10\r\n\r\nok", then: sulk}, timeout: hung},
		{name: "shorter than its length, then reset", script: script{reply: okLine + "Content-Length: 10\r\n\r\nok", then: reset}},
		{name: "answers twice", script: script{reply: okReply + okReply}},
		{name: "answers twice, then closes", script: script{reply: okReply + okReply, then: hangUp}},
		{name: "Connection: close, kept open", script: script{reply: okLine + "Connection: close\r\nContent-Length: 2\r\n\r\nok"}},
		{name: "Connection: close", script: script{reply: okLine + "Connection: close\r\nContent-Length: 2\r\n\r\nok", then: hangUp}},
	})
}

func TestDifferentialFields(t *testing.T) {
	field := func(line string) script { return script{reply: okLine + line + "\r\nContent-Length: 2\r\n\r\nok"} }
	differential(t, []rawCase{
		{name: "folded", script: field("X-A: a\r\n b")},
		{name: "no colon", script: field("no colon here")},
		{name: "empty name", script: field(": v")},
		{name: "NUL in a value", script: field("X-A: a\x00b")},
		{name: "NUL in a name", script: field("X\x00A: b")},
		{name: "CR in a value", script: field("X-A: a\rb")},
		{name: "DEL in a value", script: field("X-A: a\x7fb")},
		{name: "UTF-8 in a value", script: field("X-A: caf\xc3\xa9")},
		{name: "Pragma: no-cache", script: field("Pragma: no-cache")},
		{name: "Pragma: no-cache and Cache-Control", script: field("Pragma: no-cache\r\nCache-Control: max-age=5")},
		{name: "bare LF line ends", script: script{reply: "HTTP/1.1 200 OK\nX-A: a\nContent-Length: 2\n\nok"}},
		{name: "LF CR line end", script: script{reply: "HTTP/1.1 200 OK\n\rContent-Length: 2\r\n\r\nok"}},
		{name: "CR CR LF ends the head", script: script{reply: okLine + "Content-Length: 2\r\n\r\r\nok"}},
		{name: "CR ends a value", script: field("X-A: a\r")},
		{name: "form feed in a value", script: field("X-A: a\fb")},
		{name: "tab before a colon", script: field("X-A\t: 1")},
		{name: "non-ASCII in a name", script: field("X-\xc3\x84: 1")},
		{name: "underscore and dot in a name", script: field("x_a.b: 1")},
		{name: "empty value", script: field("X-A:")},
		{name: "no space after the colon", script: field("X-A:1")},
		{name: "folded first line", script: script{reply: okLine + " X-A: 1\r\nContent-Length: 2\r\n\r\nok"}},
		{name: "lower-case names", script: script{reply: okLine + "content-length: 2\r\nconnection: close\r\n\r\nok"}},
		{name: "Connection: CLOSE", script: field("Connection: CLOSE")},
		{name: "Connection: closed", script: field("Connection: closed")},
		{name: "Connection: keep-alive, close", script: field("Connection: keep-alive, close")},
		{name: "Connection twice, close second", script: field("Connection: keep-alive\r\nConnection: close")},
		{name: "Keep-Alive: max=1", script: field("Keep-Alive: timeout=0, max=1")},
		{name: "Proxy-Connection: close", script: field("Proxy-Connection: close")},
		{name: "HTTP/1.0 Connection: Keep-Alive", script: script{reply: "HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 2\r\n\r\nok"}},
		{name: "a 60 KB field", script: field("X-Long: " + strings.Repeat("v", 60<<10))},
		{name: "3,000 fields", script: field(strings.TrimSuffix(fields(3000), "\r\n"))},
		// doc.go: heads are bounded at 64 KB; a name is a token up to its colon.
		{name: "a 100 KB field", script: field("X-Long: " + strings.Repeat("v", 100<<10)), lean: malformed, std: answered},
		{name: "10,000 fields", script: field(strings.TrimSuffix(fields(10000), "\r\n")), lean: malformed, std: answered},
		{name: "space before a colon", script: field("X-A : 1"), lean: malformed, std: answered},
		{name: "space in a name", script: field("Bad Header: 1"), lean: malformed, std: answered},
	})
}

func TestDifferentialConnection(t *testing.T) {
	const empty = okLine + "Content-Length: 0\r\n\r\n"
	const tooLarge = "HTTP/1.1 413 Content Too Large\r\nContent-Length: 0\r\n\r\n"
	// big is watched for an early response (early.go) and read by the
	// server at once, well within the 50 ms both clients give the write;
	// huge is more than the socket buffers take.
	big := strings.Repeat("x", 1<<20)
	huge := strings.Repeat("x", 16<<20)
	differential(t, []rawCase{
		{name: "half close after the reply", script: script{reply: empty, then: halfClose}},
		{name: "half close after the reply to a POST", method: "POST", body: "data", script: script{reply: empty, then: halfClose}},
		{name: "close after the reply", script: script{reply: empty, then: hangUp}},
		{name: "reset after the reply", script: script{reply: empty, then: reset}},
		{name: "never replies", script: script{silent: true, then: sulk}, timeout: hung},
		{name: "closes without a reply", script: script{silent: true, then: hangUp}},
		{name: "resets without a reply", script: script{silent: true, then: reset}},
		{name: "closes in the status line", script: script{reply: "HTTP/1.1 200 O", then: hangUp}},
		{name: "early reply to a small body", method: "POST", body: "small", script: script{reply: okReply, early: true}},
		{name: "early 413, then reads the body", method: "POST", body: big, script: script{reply: tooLarge, early: true}},
		{name: "early 413 with close, then reads the body", method: "POST", body: big,
			script: script{reply: "HTTP/1.1 413 Content Too Large\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", early: true}},
		// doc.go: a cut is a close; an early response beats the broken pipe.
		{name: "closes in the status code", script: script{reply: "HTTP/1.1 2", then: hangUp},
			lean: &verdict{Err: "ECONNCLOSED"}, std: malformed},
		{name: "closes in a field name", script: script{reply: okLine + "Content-Le", then: hangUp},
			lean: &verdict{Err: "ECONNCLOSED"}, std: malformed},
		{name: "early 413, then closes", method: "POST", body: huge, script: script{reply: tooLarge, early: true, then: hangUp},
			lean: &verdict{Code: 413}},
		{name: "early 413, then neither reads nor closes", method: "POST", body: huge, script: script{reply: tooLarge, early: true, then: sulk}},
		{name: "early 401 with a body, then neither reads nor closes", method: "PUT", body: huge,
			script: script{reply: "HTTP/1.1 401 Unauthorized\r\nContent-Length: 7\r\n\r\nsign in", early: true, then: sulk}},
	})
}

// TestDifferentialReused misbehaves on the second request, sent on the
// connection the first left idle: where it fails before any of its
// response arrived, net/http sends it again on a new connection if it is
// idempotent (retry.go), and the server reads it twice (Handled); a
// POST, which the server may have processed, fails instead.
func TestDifferentialReused(t *testing.T) {
	const timeout = "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
	cases := []rawCase{
		{name: "closes after reading", script: script{silent: true, then: hangUp}},
		{name: "resets after reading", script: script{silent: true, then: reset}},
		{name: "half closes after reading", script: script{silent: true, then: halfClose}},
		{name: "never replies", script: script{silent: true, then: sulk}, timeout: hung},
		{name: "100, then closes", script: script{reply: "HTTP/1.1 100 Continue\r\n\r\n", then: hangUp}},
		{name: "closes in the status line", script: script{reply: "HTTP/1.1 200 O", then: hangUp}},
		{name: "closes in the body", script: script{reply: okLine + "Content-Length: 10\r\n\r\nok", then: hangUp}},
		{name: "408, then closes", script: script{reply: timeout, then: hangUp}},
	}
	var all []rawCase
	for _, tc := range cases {
		tc.reused = true
		for _, m := range []struct{ method, body string }{{"GET", ""}, {"DELETE", ""}, {"POST", "data"}} {
			tc := tc
			tc.name, tc.method, tc.body = tc.name+", "+m.method, m.method, m.body
			all = append(all, tc)
		}
	}
	differential(t, all)
}
