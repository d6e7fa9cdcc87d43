package ledger

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"syscall"
)

// IDHeader carries each request's id.
const IDHeader = "X-Request-Id"

// Outcome is what the server did with one request, as a careful client
// should report it: a response it sent in full, or a fault named by the
// error kind the client should count.
type Outcome struct {
	Status int    // the status of a response sent in full; 0 for a fault
	Fault  string // ECONNRESET, ECONNCLOSED, EPROTO or ETIMEDOUT
}

// Entry is one request as the server received it.
type Entry struct {
	ID      string
	Method  string
	Index   int64 // arrival number, from 1, across connections
	Conn    int64 // connection number, from 1
	Outcome Outcome
	Bytes   int64 // response bytes written for it
}

// Exchange is one request being answered by a Behaviour.
type Exchange struct {
	Index int64
	Req   *http.Request
	Conn  net.Conn
	W     *bufio.Writer // buffered onto Conn; flushed after Answer
	// Close, set by the behaviour, closes the connection after the answer.
	Close bool

	tcp *net.TCPConn
}

// Cork holds what is written until the connection is closed, so that the
// answer and the close travel together (Linux's TCP_CORK): a client then
// sees the close as soon as the answer, as it would from a remote server
// whose close follows its answer within the same round trip. Without it,
// on loopback, a client can take the connection back before the close
// has even been sent, which no client can see coming.
func (x *Exchange) Cork() {
	raw, err := x.tcp.SyscallConn()
	if err != nil {
		return
	}
	raw.Control(func(fd uintptr) {
		syscall.SetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_CORK, 1)
	})
}

// Reset sends what is buffered, then resets the connection (RST, not FIN).
func (x *Exchange) Reset() {
	x.W.Flush()
	x.tcp.SetLinger(0)
	x.tcp.Close()
}

// Server is a ledger server. Start one with Start; Close it before
// reading Entries, so that every handler has finished.
type Server struct {
	URL string

	b       Behaviour
	l       net.Listener
	arrived atomic.Int64
	dialled atomic.Int64
	wg      sync.WaitGroup

	mu      sync.Mutex
	entries []Entry
	conns   map[net.Conn]struct{}
}

// Start serves b on a fresh 127.0.0.1 port.
func Start(b Behaviour) (*Server, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &Server{URL: "http://" + l.Addr().String(), b: b, l: l, conns: map[net.Conn]struct{}{}}
	s.wg.Add(1)
	go s.accept()
	return s, nil
}

func (s *Server) accept() {
	defer s.wg.Done()
	for {
		c, err := s.l.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		s.conns[c] = struct{}{}
		s.mu.Unlock()
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer s.forget(c)
			s.serve(&countingConn{Conn: c}, s.dialled.Add(1))
		}()
	}
}

func (s *Server) forget(c net.Conn) {
	c.Close()
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
}

// Close stops the server, closes every connection (ending hangs) and
// waits for the handlers.
func (s *Server) Close() {
	s.l.Close()
	s.mu.Lock()
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

// Entries returns what the server received, in arrival order.
func (s *Server) Entries() []Entry {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := append([]Entry(nil), s.entries...)
	sort.Slice(out, func(i, j int) bool { return out[i].Index < out[j].Index })
	return out
}

// Connections is how many connections clients opened.
func (s *Server) Connections() int64 { return s.dialled.Load() }

// serve reads requests off one connection and answers each.
func (s *Server) serve(c *countingConn, connNo int64) {
	br := bufio.NewReader(c)
	bw := bufio.NewWriter(c)
	for s.await(br) {
		req, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		io.Copy(io.Discard, req.Body)
		x := &Exchange{Index: s.arrived.Add(1), Req: req, Conn: c, W: bw}
		x.tcp, _ = c.Conn.(*net.TCPConn)
		e := Entry{ID: req.Header.Get(IDHeader), Method: req.Method, Index: x.Index, Conn: connNo}
		before := c.written.Load()
		slot := s.note(e) // written down before answering: a hang never returns
		e.Outcome = s.b.answer(x)
		bw.Flush()
		e.Bytes = c.written.Load() - before
		s.update(slot, e)
		if x.Close || e.Outcome.Fault != "" {
			return
		}
	}
}

// await waits for the next request's first byte.
func (s *Server) await(br *bufio.Reader) bool {
	_, err := br.Peek(1)
	return err == nil
}

func (s *Server) note(e Entry) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.entries = append(s.entries, e)
	return len(s.entries) - 1
}

func (s *Server) update(slot int, e Entry) {
	s.mu.Lock()
	s.entries[slot] = e
	s.mu.Unlock()
}

// countingConn counts the bytes written to a connection.
type countingConn struct {
	net.Conn
	written atomic.Int64
}

func (c *countingConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.written.Add(int64(n))
	return n, err
}
