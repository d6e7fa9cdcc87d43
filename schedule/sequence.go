package schedule

import (
	"errors"
	"fmt"
	"math/big"
	"strings"
)

// Sequence is an execution segment sequence: the whole test, the interval
// from 0 to 1, cut at ascending rational bounds into consecutive shares.
// "0:1/4:1/2:1" is three shares of a quarter, a quarter and a half.
type Sequence struct {
	bounds []*big.Rat // 0 = bounds[0] < bounds[1] < … < bounds[n] = 1
}

// Limits of a sequence. A share's stripe is tabulated over one period of
// the sequence (the least common multiple of its shares' denominators),
// so the period is bounded; so is the number of shares.
const (
	MaxShares = 10_000
	MaxPeriod = 1_000_000
)

// EqualSequence cuts the test into n equal shares.
func EqualSequence(n int) (Sequence, error) {
	if n < 1 || n > MaxShares {
		return Sequence{}, fmt.Errorf("the number of shares must be from 1 to %d, not %d", MaxShares, n)
	}
	bounds := make([]*big.Rat, n+1)
	for k := range bounds {
		bounds[k] = big.NewRat(int64(k), int64(n))
	}
	return Sequence{bounds: bounds}, nil
}

// WholeSequence is the test in one share: "0:1".
func WholeSequence() Sequence {
	return Sequence{bounds: []*big.Rat{new(big.Rat), big.NewRat(1, 1)}}
}

// ParseSequence reads a sequence of bounds separated by ':' (or by ',', as
// k6's --execution-segment-sequence writes it). Each bound is a fraction
// (1/4), a decimal (0.25) or a percentage (25%); the first must be 0, the
// last 1, and each greater than the one before. An empty bound (0::1,
// 0,1/2,) is an error, not skipped: a share would silently disappear.
func ParseSequence(s string) (Sequence, error) {
	parts := strings.Split(strings.ReplaceAll(s, ",", ":"), ":")
	if strings.TrimSpace(s) == "" || len(parts) < 2 {
		return Sequence{}, fmt.Errorf("segment sequence %q: want bounds from 0 to 1 such as 0:1/4:1/2:1", s)
	}
	if len(parts) > MaxShares+1 {
		return Sequence{}, fmt.Errorf("segment sequence %q: more than %d shares", s, MaxShares)
	}
	seq := Sequence{bounds: make([]*big.Rat, len(parts))}
	for i, p := range parts {
		if strings.TrimSpace(p) == "" {
			return Sequence{}, fmt.Errorf("segment sequence %q: bound %d is empty", s, i+1)
		}
		r, err := parseBound(p)
		if err != nil {
			return Sequence{}, fmt.Errorf("segment sequence %q: %w", s, err)
		}
		seq.bounds[i] = r
	}
	if err := seq.check(); err != nil {
		return Sequence{}, fmt.Errorf("segment sequence %q: %w", s, err)
	}
	return seq, nil
}

// parseBound reads one bound: 1/4, 0.25 or 25%, from 0 to 1.
func parseBound(s string) (*big.Rat, error) {
	text := strings.TrimSpace(s)
	pct := strings.HasSuffix(text, "%")
	text = strings.TrimSuffix(text, "%")
	r, ok := decimalRat(text)
	if !ok {
		return nil, fmt.Errorf("bound %q is not a fraction (1/4), a decimal (0.25) or a percentage (25%%)", s)
	}
	if pct {
		r.Quo(r, big.NewRat(100, 1))
	}
	if r.Sign() < 0 || r.Cmp(big.NewRat(1, 1)) > 0 {
		return nil, fmt.Errorf("bound %q is not between 0 and 1", s)
	}
	return r, nil
}

// decimalRat reads a/b or a decimal number in base 10 only: big.Rat alone
// would also take exponents and read 010/100 in octal.
func decimalRat(text string) (*big.Rat, bool) {
	if text == "" || strings.Trim(text, "0123456789./") != "" {
		return nil, false
	}
	num, den, frac := strings.Cut(text, "/")
	if !frac {
		if strings.Count(text, ".") > 1 || text == "." {
			return nil, false
		}
		return new(big.Rat).SetString(text)
	}
	a, okA := new(big.Int).SetString(num, 10)
	b, okB := new(big.Int).SetString(den, 10)
	if !okA || !okB || b.Sign() == 0 {
		return nil, false
	}
	return new(big.Rat).SetFrac(a, b), true
}

func (s Sequence) check() error {
	if s.bounds[0].Sign() != 0 {
		return errors.New("the first bound must be 0")
	}
	if s.bounds[len(s.bounds)-1].Cmp(big.NewRat(1, 1)) != 0 {
		return errors.New("the last bound must be 1")
	}
	for i := 1; i < len(s.bounds); i++ {
		if s.bounds[i].Cmp(s.bounds[i-1]) <= 0 {
			return fmt.Errorf("bound %s does not come after %s", s.bounds[i].RatString(), s.bounds[i-1].RatString())
		}
	}
	return nil
}

// Shares is the number of shares the sequence cuts the test into.
func (s Sequence) Shares() int { return max(len(s.bounds)-1, 0) }

// String writes the sequence as ParseSequence reads it, in lowest terms:
// "0:1/4:1/2:1".
func (s Sequence) String() string {
	if len(s.bounds) == 0 {
		return WholeSequence().String()
	}
	parts := make([]string, len(s.bounds))
	for i, b := range s.bounds {
		parts[i] = b.RatString()
	}
	return strings.Join(parts, ":")
}

// Share returns share k (0-based) as "from:to", e.g. "1/4:1/2".
func (s Sequence) Share(k int) string {
	return s.bounds[k].RatString() + ":" + s.bounds[k+1].RatString()
}

// Find returns the index of the share written "from:to" (each bound as
// ParseSequence reads them), or an error naming the shares there are.
func (s Sequence) Find(segment string) (int, error) {
	from, to, ok := strings.Cut(segment, ":")
	if !ok {
		return 0, fmt.Errorf("segment %q: want from:to, one of the shares of %s", segment, s)
	}
	a, err := parseBound(from)
	if err != nil {
		return 0, fmt.Errorf("segment %q: %w", segment, err)
	}
	b, err := parseBound(to)
	if err != nil {
		return 0, fmt.Errorf("segment %q: %w", segment, err)
	}
	for k := range s.Shares() {
		if s.bounds[k].Cmp(a) == 0 && s.bounds[k+1].Cmp(b) == 0 {
			return k, nil
		}
	}
	return 0, fmt.Errorf("segment %q is not one of the shares of the sequence %s (%s)", segment, s, strings.Join(s.shareList(), ", "))
}

func (s Sequence) shareList() []string {
	out := make([]string, s.Shares())
	for k := range out {
		out[k] = s.Share(k)
	}
	return out
}

// slots gives each share's length as a count of slots in one period of
// period consecutive indices: share k owns slots[k] of every period.
func (s Sequence) slots() (slots []int64, period int64, err error) {
	lcm := big.NewInt(1)
	lengths := make([]*big.Rat, s.Shares())
	for k := range lengths {
		lengths[k] = new(big.Rat).Sub(s.bounds[k+1], s.bounds[k])
		d := lengths[k].Denom()
		lcm.Div(new(big.Int).Mul(lcm, d), new(big.Int).GCD(nil, nil, lcm, d))
		if lcm.Cmp(big.NewInt(MaxPeriod)) > 0 {
			return nil, 0, fmt.Errorf("segment sequence %s repeats only every %s indices or more; at most %d are supported (use simpler fractions)", s, lcm, MaxPeriod)
		}
	}
	period = lcm.Int64()
	slots = make([]int64, len(lengths))
	for k, l := range lengths {
		n := new(big.Int).Mul(l.Num(), big.NewInt(period))
		slots[k] = n.Div(n, l.Denom()).Int64()
	}
	return slots, period, nil
}
