package schedule

import (
	"math/big"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// FuzzParseSequence: no input panics; an accepted sequence has 1 to
// MaxShares shares between bounds that rise strictly from 0 to 1, none
// of them empty in the text, String
// writes it as text that reads back as the same bounds, and each share,
// written by Share, is found again by Find. When its period is within
// MaxPeriod, the shares' slots are at least one each and fill the period.
func FuzzParseSequence(f *testing.F) {
	for _, s := range []string{"0:1", "0:1/4:1/2:1", "0,0.25,0.5,1", "0:25%:50%:100%", "0:1/3:2/3:1",
		"0:1/1000001:1", "0:.5:1", "0:1.:1", "", "0", "1:0", "0:1/2:1/2:1", "0:1/0:1", "0:1e-1:1", "0:010/100:1",
		"0:-1/2:1", "0:2:1", "0:1/2/3:1", "0:.:1", "0:%:1", "0:50%%:1", "::0::1::", "0:0x1/2:1", " 0 : 1/2 : 1 ",
		"0::1", "0,,1/2,1", "0:1/2:1:", ":0:1", "0: :1"} {
		f.Add(s)
	}
	one := big.NewRat(1, 1)
	f.Fuzz(func(t *testing.T, s string) {
		seq, err := ParseSequence(s)
		if err != nil {
			return
		}
		for p := range strings.SplitSeq(strings.ReplaceAll(s, ",", ":"), ":") {
			if strings.TrimSpace(p) == "" {
				t.Fatalf("%q: accepted with an empty bound", s)
			}
		}
		n := seq.Shares()
		if n < 1 || n > MaxShares || len(seq.bounds) != n+1 {
			t.Fatalf("%q: %d shares, %d bounds", s, n, len(seq.bounds))
		}
		if seq.bounds[0].Sign() != 0 || seq.bounds[n].Cmp(one) != 0 {
			t.Fatalf("%q: bounds from %s to %s", s, seq.bounds[0], seq.bounds[n])
		}
		for i := 1; i <= n; i++ {
			if seq.bounds[i].Cmp(seq.bounds[i-1]) <= 0 {
				t.Fatalf("%q: bound %d (%s) after %s", s, i, seq.bounds[i], seq.bounds[i-1])
			}
		}
		back, err := ParseSequence(seq.String())
		if err != nil || back.Shares() != n {
			t.Fatalf("%q written as %q reads back as %v, %v", s, seq.String(), back, err)
		}
		for i := range seq.bounds {
			if back.bounds[i].Cmp(seq.bounds[i]) != 0 {
				t.Fatalf("%q written as %q: bound %d reads back as %s, was %s", s, seq.String(), i, back.bounds[i], seq.bounds[i])
			}
		}
		if n <= 64 {
			for k := range n {
				if got, err := seq.Find(seq.Share(k)); err != nil || got != k {
					t.Fatalf("%q: share %d written %q is found as %d, %v", s, k, seq.Share(k), got, err)
				}
			}
		}
		slots, period, err := seq.slots()
		if err != nil {
			return
		}
		if period < 1 || period > MaxPeriod || len(slots) != n {
			t.Fatalf("%q: period %d, %d slots", s, period, len(slots))
		}
		var sum int64
		for k, sl := range slots {
			if sl < 1 {
				t.Fatalf("%q: share %d has %d slots", s, k, sl)
			}
			sum += sl
		}
		if sum != period {
			t.Fatalf("%q: slots add up to %d, the period is %d", s, sum, period)
		}
	})
}

// FuzzParseSegment: no input panics; an accepted segment is a share of
// its sequence that reads back from its String and the sequence's, with
// the same stripe: offsets ascending within the period, counted by Count
// and Owns, and given by Global. A K/N without a sequence is share K of N
// equal shares. For small sequences, every index of a period belongs to
// exactly one share.
func FuzzParseSegment(f *testing.F) {
	for _, c := range [][2]string{{"0/1", ""}, {"1/4", ""}, {"3/4", ""}, {" 2 / 3 ", ""}, {"1/4:1/2", "0:1/4:1/2:1"},
		{"0:1", "0:1"}, {"25%:0.5", "0,1/4,1/2,1"}, {"1/3:2/3", "0:1/3:2/3:1"}, {"0:1/7", "0:1/7:3/11:1"},
		{"4/4", ""}, {"-1/4", ""}, {"0/0", ""}, {"0/10001", ""}, {"1/4:1/2", ""}, {"1/4", "0:1/4:1"},
		{"0:1/2", "0:1/4:1/2:1"}, {"a:b", "0:1"}, {"0:1:1", "0:1"}, {"1/2", "x"}} {
		f.Add(c[0], c[1])
	}
	f.Fuzz(func(t *testing.T, segment, sequence string) {
		s, err := ParseSegment(segment, sequence)
		if err != nil {
			if s != nil {
				t.Fatalf("%q of %q: a segment with the error %v", segment, sequence, err)
			}
			return
		}
		seq := s.Sequence()
		if s.Index() < 0 || s.Index() >= seq.Shares() {
			t.Fatalf("%q of %q: share %d of %d", segment, sequence, s.Index(), seq.Shares())
		}
		if sequence == "" {
			ks, ns, _ := strings.Cut(segment, "/")
			k, _ := strconv.Atoi(strings.TrimSpace(ks))
			n, _ := strconv.Atoi(strings.TrimSpace(ns))
			if s.Index() != k || seq.Shares() != n {
				t.Fatalf("%q: share %d of %d", segment, s.Index(), seq.Shares())
			}
		}
		back, err := ParseSegment(s.String(), seq.String())
		if err != nil || back.Index() != s.Index() || back.period != s.period || !slices.Equal(back.offsets, s.offsets) {
			t.Fatalf("%q of %q written as %q of %q reads back as %v, %v", segment, sequence, s.String(), seq.String(), back, err)
		}
		if len(s.offsets) == 0 || s.offsets[0] < 0 || s.offsets[len(s.offsets)-1] >= s.period || !strictlyRising(s.offsets) {
			t.Fatalf("%q of %q: offsets %v in a period of %d", segment, sequence, s.offsets, s.period)
		}
		if got := s.Count(s.period); got != int64(len(s.offsets)) {
			t.Fatalf("%q of %q: Count(period) = %d, owns %d", segment, sequence, got, len(s.offsets))
		}
		for n := range min(len(s.offsets), 50) {
			g := s.Global(int64(n))
			if g != s.offsets[n] || !s.Owns(g) || !s.Owns(g+s.period) || s.Count(g+1) != int64(n)+1 {
				t.Fatalf("%q of %q: index %d is global %d (offset %d)", segment, sequence, n, g, s.offsets[n])
			}
		}
		if seq.Shares() > 16 || s.period > 4096 {
			return
		}
		owners := make([]int, s.period)
		for k := range seq.Shares() {
			o, err := NewSegment(seq, k)
			if err != nil {
				t.Fatalf("%q: share %d: %v", seq, k, err)
			}
			for i := range s.period {
				if o.Owns(i) {
					owners[i]++
				}
			}
		}
		for i, c := range owners {
			if c != 1 {
				t.Fatalf("%q: index %d belongs to %d shares", seq, i, c)
			}
		}
	})
}

func strictlyRising(v []int64) bool {
	for i := 1; i < len(v); i++ {
		if v[i] <= v[i-1] {
			return false
		}
	}
	return true
}
