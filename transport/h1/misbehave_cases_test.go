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
		// doc.go: no request here asks for a 101; heads are bounded at 64 KB.
		{name: "101 unasked", script: script{reply: "HTTP/1.1 101 Switching Protocols\r\nContent-Length: 0\r\n\r\n"},
			lean: malformed, std: &verdict{Code: 101}},
		{name: "101 unasked, with Upgrade", script: script{reply: "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"},
			lean: malformed, std: &verdict{Code: 101}},
		{name: "1xx heads over 64 KB in all", script: script{reply: strings.Repeat("HTTP/1.1 103 Early Hints\r\nLink: <"+strings.Repeat("a", 4<<10)+">\r\n\r\n", 20) + okReply},
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
	})
}

func TestDifferentialContentLength(t *testing.T) {
	length := func(v string) script { return script{reply: okLine + "Content-Length:" + v + "\r\n\r\nok"} }
	differential(t, []rawCase{
		{name: "twice the same", script: script{reply: okLine + "Content-Length: 2\r\n" + okReply[len(okLine):]}},
		{name: "two that differ", script: script{reply: okLine + "Content-Length: 3\r\n" + okReply[len(okLine):]}},
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

func TestDifferentialBodyLength(t *testing.T) {
	differential(t, []rawCase{
		{name: "shorter than its length", script: script{reply: okLine + "Content-Length: 10\r\n\r\nok", then: hangUp}},
		{name: "longer than its length", script: script{reply: okReply + "EXTRA"}},
		{name: "until close", script: script{reply: okLine + "\r\nall of it", then: hangUp}},
		{name: "until a close that never comes", script: script{reply: okLine + "\r\nall of it", then: sulk}, timeout: hung},
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
