package ledger

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Behaviour is how a ledger server answers. Its outcome for a request
// depends on the request's arrival number only.
type Behaviour struct {
	Name string
	// Method is what clients should send (default GET); a POST carries a
	// small body.
	Method string
	// Answer writes the answer to x and says what it was (nil: 200 "ok").
	Answer func(x *Exchange) Outcome
	// Timeout is the client request timeout the behaviour is meant for.
	Timeout time.Duration
	// Spacing is the gap a client should leave between its requests for
	// the behaviour to show: one request at a time, each on a connection
	// that sat idle in the pool for that long (long enough for Surge to
	// look at it before reuse, see transport/h1/idle.go).
	Spacing time.Duration
	// Redirects marks a behaviour whose answers send the client back:
	// one request id then appears once per hop.
	Redirects bool
	// Stray marks a behaviour that writes bytes answering no request
	// (which a client must not read as a response): the server's byte
	// count then exceeds what a client counts.
	Stray bool
}

func (b Behaviour) answer(x *Exchange) Outcome {
	if b.Answer == nil {
		return ok(x)
	}
	return b.Answer(x)
}

// All is the matrix of behaviours: the faults a load generator meets in
// real services, each paired with what a careful client reports.
func All() []Behaviour {
	return []Behaviour{
		{Name: "ok"},
		{Name: "status-mix", Answer: statusMix},
		{Name: "close-after-3", Answer: closeEvery(3)},
		// A POST cannot be sent twice, so a client must see the close
		// before it reuses the connection, even 2 ms after the answer
		// (net/http's read loop needs that gap to see it).
		{Name: "close-after-3-post", Method: http.MethodPost, Answer: closeEvery(3), Spacing: 2 * time.Millisecond},
		{Name: "connection-close", Answer: connectionClose},
		{Name: "idle-close", Answer: closeEvery(1), Spacing: 10 * time.Millisecond},
		{Name: "idle-close-post", Method: http.MethodPost, Answer: closeEvery(1), Spacing: 10 * time.Millisecond},
		{Name: "idle-408", Answer: then408, Spacing: 10 * time.Millisecond, Stray: true},
		{Name: "reset-mid-body", Answer: every(4, resetMidBody)},
		{Name: "short-body", Answer: every(4, shortBody)},
		{Name: "long-body", Answer: every(4, longBody), Stray: true},
		{Name: "bad-chunking", Answer: every(4, badChunk)},
		{Name: "interim-1xx", Answer: interim},
		{Name: "no-content", Answer: noContent},
		{Name: "head", Method: http.MethodHead, Answer: head},
		{Name: "obs-fold", Answer: obsFold},
		{Name: "slow-drip", Answer: slowDrip},
		// hang's timeout is long enough that a client stalled by other
		// load does not time out on an answer the server wrote at once
		// (150 ms did, beside a CPU hog); the hung requests cost it once.
		{Name: "hang", Answer: every(5, hang), Timeout: time.Second},
		{Name: "gzip", Answer: gzipped},
		{Name: "post-drop", Method: http.MethodPost, Answer: every(3, drop)},
		{Name: "redirect-loop", Answer: redirectLoop, Redirects: true},
	}
}

// every answers every n-th request with f and the others with ok.
func every(n int64, f func(*Exchange) Outcome) func(*Exchange) Outcome {
	return func(x *Exchange) Outcome {
		if x.Index%n == 0 {
			return f(x)
		}
		return ok(x)
	}
}

func reply(x *Exchange, status int, fields, body string) Outcome {
	fmt.Fprintf(x.W, "HTTP/1.1 %d %s\r\n%sContent-Length: %d\r\n\r\n%s", status, http.StatusText(status), fields, len(body), body)
	return Outcome{Status: status}
}

func ok(x *Exchange) Outcome {
	if x.Req.Method == http.MethodHead {
		return head(x)
	}
	return reply(x, http.StatusOK, "", "ok")
}

// statusMix answers 500 to every fifth request, 404 to every seventh
// that is not a fifth, 429 to every eleventh of the rest, 200 otherwise.
func statusMix(x *Exchange) Outcome {
	switch {
	case x.Index%5 == 0:
		return reply(x, http.StatusInternalServerError, "", "boom")
	case x.Index%7 == 0:
		return reply(x, http.StatusNotFound, "", "none")
	case x.Index%11 == 0:
		return reply(x, http.StatusTooManyRequests, "Retry-After: 1\r\n", "")
	}
	return ok(x)
}

// closeEvery closes the connection after every n-th answer without
// saying so in the response: the client finds out when it next reads or
// looks at the idle connection. The answer and the close are corked
// together, so the client has both at once.
func closeEvery(n int64) func(*Exchange) Outcome {
	return func(x *Exchange) Outcome {
		x.Close = x.Index%n == 0
		if x.Close {
			x.Cork()
		}
		return ok(x)
	}
}

func connectionClose(x *Exchange) Outcome {
	x.Close = true
	return reply(x, http.StatusOK, "Connection: close\r\n", "ok")
}

// then408 answers, then does what some servers do to a connection idle
// for too long: answer a request nobody sent, and close. Everything is
// corked, so the client has it all by the time it has the answer (a
// timer on the server would race with the client's next request on a
// busy machine), and it must still never read the 408 as the next
// request's response.
func then408(x *Exchange) Outcome {
	x.Cork()
	o := ok(x)
	x.W.WriteString("HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
	x.Close = true
	return o
}

func resetMidBody(x *Exchange) Outcome {
	fmt.Fprintf(x.W, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789")
	x.Reset()
	return Outcome{Fault: "ECONNRESET"}
}

// shortBody announces more than it sends, then closes.
func shortBody(x *Exchange) Outcome {
	fmt.Fprintf(x.W, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n01234")
	return Outcome{Fault: "ECONNCLOSED"}
}

// longBody sends more than it announces: the extra bytes arrive on a
// connection the client considers idle, and must never be read as the
// next response.
func longBody(x *Exchange) Outcome {
	fmt.Fprintf(x.W, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA BYTES")
	return Outcome{Status: http.StatusOK}
}

func badChunk(x *Exchange) Outcome {
	fmt.Fprintf(x.W, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nok\r\n0\r\n\r\n")
	return Outcome{Fault: "EPROTO"}
}

func interim(x *Exchange) Outcome {
	fmt.Fprintf(x.W, "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n")
	return ok(x)
}

// noContent alternates 204 and 304, which have no body whatever their
// fields say.
func noContent(x *Exchange) Outcome {
	if x.Index%2 == 0 {
		fmt.Fprintf(x.W, "HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\n\r\n")
		return Outcome{Status: http.StatusNotModified}
	}
	fmt.Fprintf(x.W, "HTTP/1.1 204 No Content\r\n\r\n")
	return Outcome{Status: http.StatusNoContent}
}

// head announces a body that a response to HEAD never carries.
func head(x *Exchange) Outcome {
	fmt.Fprintf(x.W, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
	return Outcome{Status: http.StatusOK}
}

// obsFold continues a field value on a second line (obsolete line
// folding, RFC 9112 section 5.2), which a client reads as a space.
func obsFold(x *Exchange) Outcome {
	return reply(x, http.StatusOK, "X-Folded: first\r\n second\r\n", "ok")
}

// slowDrip sends its body a byte at a time.
func slowDrip(x *Exchange) Outcome {
	const body = "drip-drip-drip"
	fmt.Fprintf(x.W, "HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n", len(body))
	for i := range len(body) {
		x.W.WriteByte(body[i])
		x.W.Flush()
		time.Sleep(2 * time.Millisecond)
	}
	return Outcome{Status: http.StatusOK}
}

// hang never answers: the client's timeout must fire. The connection is
// held until the client (or Close) closes it.
func hang(x *Exchange) Outcome {
	x.Conn.SetReadDeadline(time.Time{})
	var b [1]byte
	x.Conn.Read(b[:])
	return Outcome{Fault: "ETIMEDOUT"}
}

var gzipBody = func() []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(strings.Repeat("compressible ", 200)))
	w.Close()
	return b.Bytes()
}()

func gzipped(x *Exchange) Outcome {
	return reply(x, http.StatusOK, "Content-Encoding: gzip\r\nVary: Accept-Encoding\r\n", string(gzipBody))
}

// drop reads the request and closes without a word: a client must report
// the failure and must not send the request again unless it is
// idempotent.
func drop(x *Exchange) Outcome {
	return Outcome{Fault: "ECONNCLOSED"}
}

// LoopPath is the path that redirects to itself.
const LoopPath = "/loop"

// redirectLoop sends every request whose id is a multiple of four to
// LoopPath, which sends the client back to itself forever: a client
// follows a bounded number of hops, each of them a request the server
// answered. It goes by the id, not the arrival number, which the hops of
// other requests would shift.
func redirectLoop(x *Exchange) Outcome {
	id, _ := strconv.Atoi(x.Req.Header.Get(IDHeader))
	if x.Req.URL.Path == LoopPath || id%4 == 0 {
		return reply(x, http.StatusFound, "Location: "+LoopPath+"\r\n", "")
	}
	return ok(x)
}
