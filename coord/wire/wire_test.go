package wire

import (
	"encoding/binary"
	"net"
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
