package wire

import (
	"encoding/binary"
	"errors"
	"io"
	"net"
	"runtime"
	"strings"
	"testing"
	"time"
)

func pair(t *testing.T) (*Conn, net.Conn) {
	a, b := net.Pipe()
	t.Cleanup(func() { a.Close(); b.Close() })
	return New(a), b
}

func TestMessagesRoundTrip(t *testing.T) {
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	x, y := New(a), New(b)
	sent := Hello{Token: "secret-token-1234", Segment: "1/4:1/2", Sequence: "0:1/4:1/2:3/4:1"}
	go x.Send(KindHello, sent)
	var got Hello
	if err := y.Expect(KindHello, &got, time.Second); err != nil || got != sent {
		t.Fatalf("%+v, %v", got, err)
	}
	go x.Send(KindRefused, Refused{Reason: "plan hash differs", Code: 2})
	err := y.Expect(KindWelcome, &Welcome{}, time.Second)
	if r, ok := err.(*RefusedError); !ok || r.Refused.Code != 2 {
		t.Fatalf("a refusal where a welcome was due: %v", err)
	}
	go x.Send(KindStart, Start{})
	if err := y.Expect(KindWelcome, &Welcome{}, time.Second); err == nil || !strings.Contains(err.Error(), "a start where a welcome or refusal was due") {
		t.Fatalf("a start where a welcome was due: %v", err)
	}
}

// A frame over its kind's bound is refused from its header: the body is
// never read, so a peer cannot make the other allocate it.
func TestFramesOverTheirBoundAreRefused(t *testing.T) {
	for _, tc := range []struct {
		kind Kind
		size uint32
		due  Kind
		want string
	}{
		{KindHello, MaxControl + 1, KindHello, "a hello of 65537 bytes is over its bound of 65536"},
		{KindTick, MaxTick + 1, KindTick, "over its bound of 16777216"},
		{KindFinal, MaxFinal + 1, KindFinal, "over its bound of 1073741824"},
		{Kind(99), 10, KindHello, "unknown kind 99"},
		// A final document's size where a hello is due: not read.
		{KindFinal, MaxFinal, KindHello, "a final where a hello was due"},
	} {
		c, peer := pair(t)
		go func() {
			var head [5]byte
			head[0] = byte(tc.kind)
			binary.BigEndian.PutUint32(head[1:], tc.size)
			peer.Write(head[:]) // and no body: it must not be waited for
		}()
		_, err := c.Receive(5*time.Second, tc.due)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("kind %d, %d bytes: %v, want %q", tc.kind, tc.size, err, tc.want)
		}
	}
	c, _ := pair(t)
	if err := c.Send(KindPing, strings.Repeat("x", MaxControl)); err == nil {
		t.Fatal("a control message over its bound was sent")
	}
}

// A final document's header declares up to a gigabyte. A peer that sends
// the header and a few bytes, then hangs up, must cost the receiver what
// it sent, not what it declared.
func TestADeclaredSizeIsNotAllocatedBeforeItArrives(t *testing.T) {
	c, peer := pair(t)
	go func() {
		var head [5]byte
		head[0] = byte(KindFinal)
		binary.BigEndian.PutUint32(head[1:], MaxFinal)
		peer.Write(head[:])
		peer.Write([]byte(`{"results":`))
		peer.Close()
	}()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := c.Receive(5*time.Second, KindFinal)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("a body cut short: %v, want %v", err, io.ErrUnexpectedEOF)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 4*MaxControl {
		t.Errorf("receiving 11 bytes of a declared %d allocated %d bytes", MaxFinal, grew)
	}
}

// FuzzReceive reads arbitrary bytes as a peer's frames: whatever they
// are, each frame received is of a known kind within its bound and
// decodes or fails without a panic.
func FuzzReceive(f *testing.F) {
	frame := func(k Kind, body string) []byte {
		b := []byte{byte(k), 0, 0, 0, 0}
		binary.BigEndian.PutUint32(b[1:], uint32(len(body)))
		return append(b, body...)
	}
	f.Add(frame(KindHello, `{"token":"t","segment":"0:1/2"}`))
	f.Add(append(frame(KindTick, `{"interval":{"index":1}}`), frame(KindFinal, `{"error":"x"}`)...))
	f.Add(frame(KindDone, `{"code":"nan"}`))
	f.Add([]byte{byte(KindFinal), 0x40, 0, 0, 0, '{'})
	kinds := []Kind{KindHello, KindWelcome, KindReady, KindPing, KindPong, KindStart, KindTick, KindStop, KindFinal, KindDone, KindRefused}
	messages := map[Kind]func() any{KindHello: func() any { return &Hello{} }, KindWelcome: func() any { return &Welcome{} },
		KindReady: func() any { return &Ready{} }, KindPing: func() any { return &Ping{} }, KindPong: func() any { return &Pong{} },
		KindStart: func() any { return &Start{} }, KindTick: func() any { return &Tick{} }, KindStop: func() any { return &Stop{} },
		KindFinal: func() any { return &Final{} }, KindDone: func() any { return &Done{} }, KindRefused: func() any { return &Refused{} }}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, peer := pair(t)
		go func() {
			peer.Write(data)
			peer.Close()
		}()
		for {
			fr, err := c.Receive(5*time.Second, kinds...)
			if err != nil {
				return
			}
			if n, ok := limit(fr.Kind); !ok || len(fr.Body) > n {
				t.Fatalf("received a %s of %d bytes", fr.Kind, len(fr.Body))
			}
			fr.Decode(messages[fr.Kind]())
		}
	})
}
