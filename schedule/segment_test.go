package schedule

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func mustSequence(t *testing.T, s string) Sequence {
	t.Helper()
	seq, err := ParseSequence(s)
	if err != nil {
		t.Fatal(err)
	}
	return seq
}

func shares(t *testing.T, seq Sequence) []*Segment {
	t.Helper()
	out := make([]*Segment, seq.Shares())
	for k := range out {
		s, err := NewSegment(seq, k)
		if err != nil {
			t.Fatal(err)
		}
		out[k] = s
	}
	return out
}

// firstIndices lists the share's first n global indices.
func firstIndices(s *Segment, n int) []int64 {
	out := make([]int64, n)
	for i := range out {
		out[i] = s.Global(int64(i))
	}
	return out
}

// The tables k6 publishes for its striping (and that the research for
// this feature reproduced from k6's description).
func TestStripesGolden(t *testing.T) {
	tests := []struct {
		seq  string
		want [][]int64
	}{
		{"0:1/4:1/2:3/4:1", [][]int64{{0, 4, 8, 12}, {1, 5, 9, 13}, {2, 6, 10, 14}, {3, 7, 11, 15}}},
		{"0,1/2,3/4,1", [][]int64{{0, 2, 4, 6, 8, 10}, {1, 5, 9, 13, 17, 21}, {3, 7, 11, 15, 19, 23}}},
		{"0:3/5:14/15:1", [][]int64{
			{0, 2, 4, 5, 7, 9, 10, 12, 14, 15, 17, 19},
			{1, 3, 6, 11, 13, 16, 18, 21, 26, 28, 31, 33},
			{8, 23, 38, 53},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.seq, func(t *testing.T) {
			for k, s := range shares(t, mustSequence(t, tt.seq)) {
				if diff := cmp.Diff(tt.want[k], firstIndices(s, len(tt.want[k]))); diff != "" {
					t.Errorf("share %d (-want +got):\n%s", k, diff)
				}
			}
		})
	}
}

// The stripe depends on the whole sequence: the same segment inside
// another sequence owns other indices, which is why --segment a:b needs
// --segments.
func TestStripeDependsOnTheSequence(t *testing.T) {
	alone := shares(t, mustSequence(t, "0:3/4:1"))[1]
	within := shares(t, mustSequence(t, "0:1/2:3/4:1"))[2]
	if a, w := firstIndices(alone, 3), firstIndices(within, 3); slices.Equal(a, w) {
		t.Fatalf("3/4:1 owns %v in both sequences; the striping ignores the other shares", a)
	}
}

func TestEqualSharesAreModN(t *testing.T) {
	for n := 1; n <= 16; n++ {
		seq, err := EqualSequence(n)
		if err != nil {
			t.Fatal(err)
		}
		for k, s := range shares(t, seq) {
			for j := range int64(50) {
				if got, want := s.Global(j), j*int64(n)+int64(k); got != want {
					t.Fatalf("%d shares, share %d: index %d is global %d, want %d", n, k, j, got, want)
				}
			}
		}
	}
}

// testSequences are equal and weighted sequences of 1 to 8 shares, plus
// random ones.
func testSequences(t *testing.T) []Sequence {
	var out []Sequence
	for n := 1; n <= 8; n++ {
		seq, err := EqualSequence(n)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, seq)
	}
	for _, s := range []string{"0:1/4:1/2:1", "0:3/5:14/15:1", "0:0.1:0.35:1", "0:10%:20%:70%:1",
		"0:1/3:1/2:2/3:5/6:1", "0:1/8:1/4:3/8:1/2:5/8:3/4:7/8:1", "0:1/7:2/7:1", "0:9/10:1"} {
		out = append(out, mustSequence(t, s))
	}
	r := rand.New(rand.NewPCG(7, 7))
	for range 8 {
		out = append(out, randomSequence(t, r))
	}
	return out
}

func randomSequence(t *testing.T, r *rand.Rand) Sequence {
	den := 2 + r.IntN(40)
	cuts := []string{"0"}
	for c := 1; c < den; c++ {
		if r.IntN(4) == 0 {
			cuts = append(cuts, fmt.Sprintf("%d/%d", c, den))
		}
	}
	return mustSequence(t, strings.Join(append(cuts, "1"), ":"))
}

func TestStripesPartitionEachPeriod(t *testing.T) {
	for _, seq := range testSequences(t) {
		slots, period, err := seq.slots()
		if err != nil {
			t.Fatal(err)
		}
		owner := make([]int, period)
		for i := range owner {
			owner[i] = -1
		}
		for k, offs := range stripes(slots, period) {
			if int64(len(offs)) != slots[k] {
				t.Errorf("%s: share %d owns %d of %d indices, want %d", seq, k, len(offs), period, slots[k])
			}
			for _, i := range offs {
				if owner[i] >= 0 {
					t.Fatalf("%s: index %d dealt to shares %d and %d", seq, i, owner[i], k)
				}
				owner[i] = k
			}
		}
		if slices.Contains(owner, -1) {
			t.Errorf("%s: an index of the period went to no share: %v", seq, owner)
		}
	}
}

func TestCountSplitsExactlyAndOnlyGrows(t *testing.T) {
	for _, seq := range testSequences(t) {
		ss := shares(t, seq)
		prev := make([]int64, len(ss))
		for v := range int64(300) {
			var sum int64
			for k, s := range ss {
				c := s.Count(v)
				if c < prev[k] {
					t.Fatalf("%s share %d: Count(%d) = %d fell from %d", seq, k, v, c, prev[k])
				}
				prev[k] = c
				sum += c
			}
			if sum != v {
				t.Fatalf("%s: the shares' counts of %d add up to %d", seq, v, sum)
			}
		}
	}
}

type arrivalAt struct {
	Index int64
	At    time.Duration
	Phase int
}

func planArrivals(p *Plan, s *Segment) []arrivalAt {
	var out []arrivalAt
	for n := int64(0); ; n++ {
		i, at, ph, ok := p.DueIn(s, n)
		if !ok {
			return out
		}
		out = append(out, arrivalAt{i, at, ph})
	}
}

// The shares of any sequence together send exactly the one-machine
// schedule: every arrival once, at its single-run intended time.
func TestSharesUnionIsThePlan(t *testing.T) {
	sec := time.Second
	plans := map[string][]Phase{
		"constant":        {{Kind: Constant, ArrivalRate: 37, Duration: 3 * sec}},
		"ramp":            {{Kind: Ramp, ArrivalRate: 1, RampTo: 60, Duration: 7 * sec}},
		"ramp fractional": {{Kind: Ramp, ArrivalRate: 50, RampTo: 3, Duration: 2500 * time.Millisecond}},
		"count":           {{Kind: Count, ArrivalCount: 101, Duration: 3 * sec}},
		"pause":           {{Kind: Pause, Duration: 2 * sec}},
		"mixed": {
			{Kind: Count, ArrivalCount: 10, Duration: 3 * sec},
			{Kind: Pause, Duration: 2 * sec},
			{Kind: Users, Users: 4, Duration: sec},
			{Kind: Ramp, ArrivalRate: 5, RampTo: 25, Duration: 4 * sec, MaxVUsers: 7},
			{Kind: Constant, ArrivalRate: 13.5, Duration: 2 * sec},
		},
	}
	for name, phases := range plans {
		p, err := New(phases)
		if err != nil {
			t.Fatal(err)
		}
		want := planArrivals(p, Whole())
		if int64(len(want)) != p.Arrivals() {
			t.Fatalf("%s: the whole share walks %d arrivals, the plan has %d", name, len(want), p.Arrivals())
		}
		for _, seq := range testSequences(t) {
			var union []arrivalAt
			for _, s := range shares(t, seq) {
				union = append(union, planArrivals(p, s)...)
			}
			slices.SortFunc(union, func(a, b arrivalAt) int { return int(a.Index - b.Index) })
			if diff := cmp.Diff(want, union); diff != "" {
				t.Fatalf("%s split %s: the shares' arrivals differ from the plan (-plan +shares):\n%s", name, seq, diff)
			}
		}
	}
}

func TestUsersAndCapsSplitToTheWhole(t *testing.T) {
	users := Phase{Kind: Users, Users: 11, SpawnRate: 2, Duration: time.Second}
	capped := Phase{Kind: Constant, ArrivalRate: 10, Duration: time.Second, MaxVUsers: 5}
	for _, seq := range testSequences(t) {
		var spawned []int64
		var caps int64
		for _, s := range shares(t, seq) {
			for m := range s.Users(users) {
				spawned = append(spawned, s.Global(m))
			}
			limit, ok := s.MaxVUsers(capped)
			if !ok {
				t.Fatalf("%s share %s: a capped phase lost its cap", seq, s)
			}
			caps += limit
			if _, ok := s.MaxVUsers(users); ok {
				t.Fatalf("%s share %s: a phase without maxVusers got a cap", seq, s)
			}
		}
		slices.Sort(spawned)
		if want := []int64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}; !slices.Equal(spawned, want) {
			t.Errorf("%s: the shares' users are %v, want each of the 11 once", seq, spawned)
		}
		if caps != capped.MaxVUsers {
			t.Errorf("%s: the shares' maxVusers add up to %d, want %d", seq, caps, capped.MaxVUsers)
		}
	}
}

// The shares of a closed-model phase start, together, exactly the single
// run's users at the single run's times.
func TestSharesStartTheSingleRunsUsers(t *testing.T) {
	phases := []Phase{
		{Kind: Users, Users: 23, SpawnRate: 7, Duration: time.Minute},
		{Kind: Users, Users: 5, Duration: time.Minute}, // all at once
		{Kind: Users, Users: 3, SpawnRate: 1e-300, Duration: time.Minute},
	}
	for _, ph := range phases {
		want := make([]arrivalAt, ph.Users)
		for j := range want {
			want[j] = arrivalAt{Index: int64(j), At: ph.UserStart(int64(j))}
		}
		for _, seq := range testSequences(t) {
			var union []arrivalAt
			for _, s := range shares(t, seq) {
				for m := range s.Users(ph) {
					j := s.Global(m)
					union = append(union, arrivalAt{Index: j, At: ph.UserStart(j)})
				}
			}
			slices.SortFunc(union, func(a, b arrivalAt) int { return int(a.Index - b.Index) })
			if diff := cmp.Diff(want, union); diff != "" {
				t.Fatalf("%d users at %v/s split %s (-single +shares):\n%s", ph.Users, ph.SpawnRate, seq, diff)
			}
		}
	}
	if got := phases[0].UserStart(7); got != 7*(time.Second/7) {
		t.Errorf("user 7 at 7/s starts at %v, want 7 gaps of %v", got, time.Second/7)
	}
	if got := phases[2].UserStart(2); got != MaxSpawnGap {
		t.Errorf("a user at 1e-300/s starts at %v, want never (MaxSpawnGap)", got)
	}
}

func TestParseSegment(t *testing.T) {
	tests := []struct {
		segment, sequence string
		index, shares     int
		share             string
	}{
		{"0/1", "", 0, 1, "0:1"},
		{"2/8", "", 2, 8, "1/4:3/8"},
		{" 3 / 4 ", "", 3, 4, "3/4:1"},
		{"1/2:3/4", "0:1/2:3/4:1", 1, 3, "1/2:3/4"},
		{"0.5:75%", "0,1/2,3/4,1", 1, 3, "1/2:3/4"},
		{"2/4:3/4", "0:1/4:1/2:3/4:1", 2, 4, "1/2:3/4"},
	}
	for _, tt := range tests {
		s, err := ParseSegment(tt.segment, tt.sequence)
		if err != nil {
			t.Fatalf("ParseSegment(%q, %q): %v", tt.segment, tt.sequence, err)
		}
		if s.Index() != tt.index || s.Sequence().Shares() != tt.shares || s.String() != tt.share {
			t.Errorf("ParseSegment(%q, %q) = share %d of %d (%s), want %d of %d (%s)", tt.segment, tt.sequence,
				s.Index(), s.Sequence().Shares(), s, tt.index, tt.shares, tt.share)
		}
	}
}

func TestParseSegmentErrors(t *testing.T) {
	tests := []struct{ segment, sequence, want string }{
		{"4/4", "", "0 <= K < N"},
		{"-1/4", "", "0 <= K < N"},
		{"1/0", "", "0 <= K < N"},
		{"1", "", "want K/N"},
		{"a/b", "", "want K/N"},
		{"1/2:1", "", "needs the whole sequence"},
		{"1/4", "0:1/4:1", "name the share as from:to, one of 0:1/4, 1/4:1"},
		{"0:1/2", "0:1/4:1", "not one of the shares"},
		{"0:1/4", "1/4:1", "first bound must be 0"},
		{"0:1/4", "0:1/4:3/4", "last bound must be 1"},
		{"0:1/4", "0:1/2:1/4:1", "does not come after"},
		{"0:1/4", "0:1/4:1/4:1", "does not come after"},
		{"0:1/4", "0:2:1", "not between 0 and 1"},
		{"0:1/4", "0:1e-1:1", "not a fraction"},
		{"0:1/4", "0:0x1/4:1", "not a fraction"},
		{"0:1/4", "0:1/0:1", "not a fraction"},
		{"0:1/4", "1", "want bounds from 0 to 1"},
		{"0:1/4", "0::1/4:1", `"0::1/4:1": bound 2 is empty`},
		{"0:1/4", "0,1/4,,1", `"0,1/4,,1": bound 3 is empty`},
		{"0:1/4", "0:1/4:1:", `"0:1/4:1:": bound 4 is empty`},
		{"0:1/4", ":0:1/4:1", `":0:1/4:1": bound 1 is empty`},
		{"0:1/999983", "0:1/999983:1/999979:1", "at most 1000000"},
	}
	for _, tt := range tests {
		_, err := ParseSegment(tt.segment, tt.sequence)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseSegment(%q, %q) = %v, want an error saying %q", tt.segment, tt.sequence, err, tt.want)
		}
	}
}

func TestSequenceString(t *testing.T) {
	if got := mustSequence(t, "0, 0.25 ,50%,2/2").String(); got != "0:1/4:1/2:1" {
		t.Errorf("String() = %q, want 0:1/4:1/2:1", got)
	}
	if got := Whole().Sequence().String(); got != "0:1" {
		t.Errorf("the whole test's sequence is %q, want 0:1", got)
	}
}

func TestGlobalSaturates(t *testing.T) {
	s := shares(t, mustSequence(t, "0:1/3:1"))[1]
	if got := s.Global(1 << 62); got != 3<<61 { // share 1 owns 0 and 2 of every 3
		t.Fatalf("Global(2^62) = %d, want %d", got, int64(3<<61))
	}
	if got := s.Global(1<<63 - 1); got != 1<<63-1 {
		t.Fatalf("Global(max) = %d, want it saturated", got)
	}
}
