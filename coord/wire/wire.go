package wire

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/surge-dev/surge/results"
)

// Kind says what a frame holds.
type Kind byte

// The kinds of frames, in the order a run exchanges them.
const (
	KindHello   Kind = iota + 1 // worker → coordinator: Hello
	KindWelcome                 // coordinator → worker: Welcome
	KindReady                   // worker → coordinator: Ready
	KindPing                    // coordinator → worker: Ping
	KindPong                    // worker → coordinator: Pong
	KindStart                   // coordinator → worker: Start
	KindTick                    // worker → coordinator: Tick
	KindStop                    // coordinator → worker: Stop
	KindFinal                   // worker → coordinator: Final
	KindDone                    // coordinator → worker: Done
	KindRefused                 // coordinator → worker: Refused
)

// Bounds on a frame's body, by kind.
const (
	MaxControl = 64 << 10
	MaxTick    = 16 << 20
	MaxFinal   = 1 << 30
)

func limit(k Kind) (int, bool) {
	switch {
	case k == KindTick:
		return MaxTick, true
	case k == KindFinal:
		return MaxFinal, true
	case k >= KindHello && k <= KindRefused:
		return MaxControl, true
	}
	return 0, false
}

// Hello is a worker's first message: the share it asks for ("": any).
type Hello struct {
	Token    string `json:"token,omitempty"`
	Segment  string `json:"segment,omitempty"`  // "from:to"
	Sequence string `json:"sequence,omitempty"` // with Segment
	Version  string `json:"version,omitempty"`
}

// Welcome gives the worker its share.
type Welcome struct {
	Segment  string `json:"segment"`
	Sequence string `json:"sequence"`
}

// Ready says the worker built its plan for its share.
type Ready struct {
	Plan      string   `json:"plan"`
	Segment   string   `json:"segment"`
	Sequence  string   `json:"sequence"`
	Endpoints []string `json:"endpoints"`
	// Expect is the statuses that are not failures, in one spelling
	// (metrics.StatusSet.String; the default when the test sets none).
	Expect string `json:"expect,omitempty"`
}

// Ping starts a clock exchange; the worker answers with a Pong at once.
type Ping struct {
	Sent time.Time `json:"sent"`
}

// Pong answers a Ping with the worker's clock when it got it and when it
// answered.
type Pong struct {
	Sent     time.Time `json:"sent"`
	Received time.Time `json:"received"`
	Answered time.Time `json:"answered"`
}

// Start tells the worker when to start, on its own clock.
type Start struct {
	At time.Time `json:"at"`
}

// Tick is one second the worker closed; Last marks its final one.
type Tick struct {
	Interval results.Interval `json:"interval"`
	Last     bool             `json:"last,omitempty"`
}

// Stop ends the worker's share: gracefully, or at once with Abort.
type Stop struct {
	Reason string `json:"reason"`
	Abort  bool   `json:"abort,omitempty"`
}

// Final is the worker's results document, or why it has none, and when
// its test started on its clock (the coordinator's offsets are of that
// clock).
type Final struct {
	Results *results.Results `json:"results,omitempty"`
	Started time.Time        `json:"started,omitzero"`
	Error   string           `json:"error,omitempty"`
}

// Done is the verdict of the whole test: the exit code the worker exits
// with, and what to say.
type Done struct {
	Code    int    `json:"code"`
	Message string `json:"message,omitempty"`
}

// Refused ends a worker's part before the start: it may not join.
type Refused struct {
	Reason string `json:"reason"`
	Code   int    `json:"code"`
}

// Conn sends and receives frames. Send may be called from several
// goroutines; Receive from one.
type Conn struct {
	c  net.Conn
	r  *bufio.Reader
	mu sync.Mutex // one frame at a time
	// Timeout bounds each Send (0: none), so that a peer that stopped
	// reading cannot hold the sender for ever.
	Timeout time.Duration
}

// New frames messages on c.
func New(c net.Conn) *Conn { return &Conn{c: c, r: bufio.NewReader(c)} }

// Close closes the connection.
func (c *Conn) Close() error { return c.c.Close() }

// RemoteAddr names the peer.
func (c *Conn) RemoteAddr() string { return c.c.RemoteAddr().String() }

// Send writes one message of kind k.
func (c *Conn) Send(k Kind, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if n, _ := limit(k); len(body) > n {
		return fmt.Errorf("wire: a %s of %d bytes is over its bound of %d", k, len(body), n)
	}
	frame := make([]byte, 5, 5+len(body))
	frame[0] = byte(k)
	binary.BigEndian.PutUint32(frame[1:], uint32(len(body)))
	frame = append(frame, body...)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.Timeout > 0 {
		c.c.SetWriteDeadline(time.Now().Add(c.Timeout))
	}
	_, err = c.c.Write(frame)
	return err
}

// Frame is one message received, its body not yet decoded.
type Frame struct {
	Kind Kind
	Body []byte
}

// Decode reads the frame's body into v.
func (f Frame) Decode(v any) error {
	if err := json.Unmarshal(f.Body, v); err != nil {
		return fmt.Errorf("wire: a %s that does not decode: %w", f.Kind, err)
	}
	return nil
}

// Receive reads the next frame, waiting at most timeout (0: for ever).
// A frame of a kind not in due is refused from its header, before its
// body is read: a peer that has not said hello cannot make the other
// side read a final document's gigabyte.
func (c *Conn) Receive(timeout time.Duration, due ...Kind) (Frame, error) {
	if timeout > 0 {
		c.c.SetReadDeadline(time.Now().Add(timeout))
	} else {
		c.c.SetReadDeadline(time.Time{})
	}
	var head [5]byte
	if _, err := io.ReadFull(c.r, head[:]); err != nil {
		return Frame{}, err
	}
	k, size := Kind(head[0]), binary.BigEndian.Uint32(head[1:])
	n, ok := limit(k)
	switch {
	case !ok:
		return Frame{}, fmt.Errorf("wire: a frame of unknown kind %d: not a Surge coordinator or worker", head[0])
	case !slices.Contains(due, k):
		return Frame{}, fmt.Errorf("wire: a %s where a %s was due", k, dueList(due))
	case int64(size) > int64(n):
		return Frame{}, fmt.Errorf("wire: a %s of %d bytes is over its bound of %d", k, size, n)
	}
	body, err := readBody(c.r, int(size))
	if err != nil {
		return Frame{}, err
	}
	return Frame{Kind: k, Body: body}, nil
}

// readBody reads a body of the size its header declared. The buffer grows
// with what arrives, from at most MaxControl at first: a final document
// may declare up to a gigabyte, and a header alone must not make the
// other side allocate that.
func readBody(r io.Reader, size int) ([]byte, error) {
	buf := bytes.NewBuffer(make([]byte, 0, min(size, MaxControl)))
	n, err := io.CopyN(buf, r, int64(size))
	switch {
	case err == io.EOF && n > 0:
		return nil, io.ErrUnexpectedEOF
	case err != nil:
		return nil, err
	}
	return buf.Bytes(), nil
}

func dueList(due []Kind) string {
	names := make([]string, len(due))
	for i, k := range due {
		names[i] = k.String()
	}
	return strings.Join(names, " or ")
}

// Expect receives the next frame, which must be of kind k (or a
// refusal, returned as a *RefusedError), into v.
func (c *Conn) Expect(k Kind, v any, timeout time.Duration) error {
	f, err := c.Receive(timeout, k, KindRefused)
	if err != nil {
		return err
	}
	if f.Kind == KindRefused && k != KindRefused {
		var r Refused
		if err := f.Decode(&r); err != nil {
			return err
		}
		return &RefusedError{Refused: r}
	}
	return f.Decode(v)
}

// RefusedError is the coordinator's refusal of a worker.
type RefusedError struct{ Refused Refused }

func (e *RefusedError) Error() string {
	return "the coordinator refused this worker: " + e.Refused.Reason
}

var kindNames = map[Kind]string{KindHello: "hello", KindWelcome: "welcome", KindReady: "ready", KindPing: "ping",
	KindPong: "pong", KindStart: "start", KindTick: "tick", KindStop: "stop", KindFinal: "final", KindDone: "done",
	KindRefused: "refusal"}

func (k Kind) String() string {
	if n, ok := kindNames[k]; ok {
		return n
	}
	return fmt.Sprintf("kind %d", byte(k))
}
