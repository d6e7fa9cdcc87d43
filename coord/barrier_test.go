package coord

import (
	"strings"
	"testing"

	"github.com/surge-dev/surge/schedule"
)

func sequence(t *testing.T, s string) schedule.Sequence {
	t.Helper()
	q, err := schedule.ParseSequence(s)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func ready(b *Barrier, k int, plan string, endpoints ...string) Ready {
	return Ready{Plan: plan, Sequence: b.Sequence().String(), Segment: b.Sequence().Share(k), Endpoints: endpoints}
}

func TestBarrierCompletesWhenEveryShareIsReady(t *testing.T) {
	b := NewBarrier(sequence(t, "0:1/4:1/2:3/4:1"))
	if err := b.Reserve(0, "coordinator"); err != nil {
		t.Fatal(err)
	}
	// Workers asking for any share get the lowest free one, never the
	// reserved one; the reserved one goes to its owner.
	for i, want := range []string{"1/4:1/2", "1/2:3/4"} {
		if _, got, err := b.Take("w"+string(rune('a'+i)), ""); err != nil || got != want {
			t.Fatalf("worker %d: %s, %v; want %s", i, got, err, want)
		}
	}
	if k, _, err := b.Take("coordinator", "0:1/4"); err != nil || k != 0 {
		t.Fatalf("the reserved share: %d, %v", k, err)
	}
	if k, _, err := b.Take("wc", "3/4:1"); err != nil || k != 3 {
		t.Fatalf("a named share: %d, %v", k, err)
	}
	for k := range 4 {
		if b.Complete() {
			t.Fatalf("complete with %d of 4 ready", k)
		}
		if err := b.Ready(k, ready(b, k, "h1", "GET /a")); err != nil {
			t.Fatal(err)
		}
	}
	if !b.Complete() || len(b.Missing()) != 0 {
		t.Fatalf("not complete: %v", b.Missing())
	}
}

func TestBarrierRefusals(t *testing.T) {
	b := NewBarrier(sequence(t, "0:1/3:2/3:1"))
	take := func(worker, seg string) int {
		t.Helper()
		k, _, err := b.Take(worker, seg)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	a, c := take("a", "0:1/3"), take("c", "2/3:1")
	if err := b.Ready(a, ready(b, a, "h1", "GET /a")); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		err  func() error
		want string
	}{
		{"a share twice", func() error { _, _, err := b.Take("d", "0:1/3"); return err }, "already taken by a"},
		{"no such share", func() error { _, _, err := b.Take("d", "0:1/2"); return err }, "not one of the shares"},
		{"another plan", func() error { return b.Ready(c, ready(b, c, "h2", "GET /a")) }, "plan hash h2"},
		{"other endpoints", func() error { return b.Ready(c, ready(b, c, "h1", "GET /b")) }, "records the endpoints GET /b"},
		{"other expected statuses", func() error {
			r := ready(b, c, "h1", "GET /a")
			r.Expect = "200-404"
			return b.Ready(c, r)
		}, "expects the statuses 200-404"},
		{"another share built", func() error { return b.Ready(c, ready(b, a, "h1", "GET /a")) }, "built the share 0:1/3"},
		{"a share not taken", func() error { return b.Ready(1, ready(b, 1, "h1", "GET /a")) }, "was not taken"},
	} {
		if err := tc.err(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
	if got := strings.Join(b.Missing(), "; "); got != "1/3:2/3 (no worker); 2/3:1 (c not ready)" {
		t.Fatalf("missing: %s", got)
	}
	b.Leave(c)
	if _, _, err := b.Take("e", "2/3:1"); err != nil {
		t.Fatalf("a share left before the start is free again: %v", err)
	}
	b.Take("f", "")
	if _, _, err := b.Take("g", ""); err == nil || !strings.Contains(err.Error(), "more workers than shares") {
		t.Fatalf("a fourth worker for three shares: %v", err)
	}
}
