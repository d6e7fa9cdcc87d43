package schedule

import (
	"testing"
	"time"
)

func allDue(t *testing.T, p *Plan) []time.Duration {
	t.Helper()
	var out []time.Duration
	for i := int64(0); ; i++ {
		at, _, ok := p.Due(i)
		if !ok {
			return out
		}
		out = append(out, at)
	}
}

func TestArrivalCounts(t *testing.T) {
	sec := time.Second
	tests := []struct {
		name   string
		phases []Phase
		want   int64
	}{
		{"constant 3/s for 2s", []Phase{{Kind: Constant, ArrivalRate: 3, Duration: 2 * sec}}, 6},
		{"constant 300/s for 3s", []Phase{{Kind: Constant, ArrivalRate: 300, Duration: 3 * sec}}, 900},
		{"fractional rate", []Phase{{Kind: Constant, ArrivalRate: 0.5, Duration: 5 * sec}}, 2},
		{"ramp 1 to 3 over 3s", []Phase{{Kind: Ramp, ArrivalRate: 1, RampTo: 3, Duration: 3 * sec}}, 6},
		// Artillery's single worker rounds each second's rate half up.
		{"ramp one second", []Phase{{Kind: Ramp, ArrivalRate: 1, RampTo: 4, Duration: sec}}, 3},
		{"ramp down", []Phase{{Kind: Ramp, ArrivalRate: 10, RampTo: 0, Duration: 5 * sec}}, 10 + 8 + 5 + 3 + 0},
		{"ramp 1 to 4 over 3s", []Phase{{Kind: Ramp, ArrivalRate: 1, RampTo: 4, Duration: 3 * sec}}, 1 + 3 + 4},
		{"ramp of fractional rates", []Phase{{Kind: Ramp, ArrivalRate: 0.5, RampTo: 1.5, Duration: 2 * sec}}, 1 + 2},
		{"ramp just under a half", []Phase{{Kind: Ramp, ArrivalRate: 0, RampTo: 0.98, Duration: 3 * sec}}, 0 + 0 + 1},
		{"count", []Phase{{Kind: Count, ArrivalCount: 4, Duration: 2 * sec}}, 4},
		{"count zero", []Phase{{Kind: Count, ArrivalCount: 0, Duration: 2 * sec}}, 0},
		{"pause", []Phase{{Kind: Pause, Duration: 2 * sec}}, 0},
		{"artillery arrival phases", []Phase{
			{Kind: Count, ArrivalCount: 10, Duration: 3 * sec},
			{Kind: Pause, Duration: 2 * sec},
			{Kind: Count, ArrivalCount: 50, Duration: 3 * sec},
		}, 60},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := New(tt.phases)
			if err != nil {
				t.Fatal(err)
			}
			if got := p.Arrivals(); got != tt.want {
				t.Fatalf("Arrivals() = %d, want %d", got, tt.want)
			}
			if got := int64(len(allDue(t, p))); got != tt.want {
				t.Fatalf("Due yielded %d arrivals, want %d", got, tt.want)
			}
		})
	}
}

func TestDueTimes(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		name   string
		phases []Phase
		want   []time.Duration
	}{
		{"first arrival one gap after start",
			[]Phase{{Kind: Constant, ArrivalRate: 2, Duration: 2 * time.Second}},
			[]time.Duration{500 * ms, 1000 * ms, 1500 * ms, 2000 * ms}},
		{"count spread evenly",
			[]Phase{{Kind: Count, ArrivalCount: 4, Duration: 2 * time.Second}},
			[]time.Duration{500 * ms, 1000 * ms, 1500 * ms, 2000 * ms}},
		{"ramp spreads inside each second",
			[]Phase{{Kind: Ramp, ArrivalRate: 1, RampTo: 2, Duration: 2 * time.Second}},
			[]time.Duration{1000 * ms, 1500 * ms, 2000 * ms}},
		{"pause shifts later phases",
			[]Phase{{Kind: Count, ArrivalCount: 1, Duration: time.Second}, {Kind: Pause, Duration: time.Second},
				{Kind: Count, ArrivalCount: 1, Duration: time.Second}},
			[]time.Duration{1000 * ms, 3000 * ms}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := New(tt.phases)
			if err != nil {
				t.Fatal(err)
			}
			got := allDue(t, p)
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("arrival %d at %v, want %v (all: %v)", i, got[i], tt.want[i], got)
				}
			}
		})
	}
}

func TestDueIsMonotonicAndWithinPhases(t *testing.T) {
	p, err := New([]Phase{
		{Kind: Ramp, ArrivalRate: 5, RampTo: 500, Duration: 7 * time.Second},
		{Kind: Constant, ArrivalRate: 1000, Duration: 3 * time.Second},
		{Kind: Pause, Duration: time.Second},
		{Kind: Count, ArrivalCount: 7, Duration: 3 * time.Second},
	})
	if err != nil {
		t.Fatal(err)
	}
	var prev time.Duration
	for i := int64(0); i < p.Arrivals(); i++ {
		at, phase, ok := p.Due(i)
		if !ok || at < prev {
			t.Fatalf("arrival %d at %v after %v (ok=%v)", i, at, prev, ok)
		}
		start, end := p.PhaseStart(phase), p.PhaseStart(phase)+p.Phases()[phase].Duration
		if at <= start || at > end {
			t.Fatalf("arrival %d at %v outside its phase %d (%v, %v]", i, at, phase, start, end)
		}
		prev = at
	}
	if p.Length() != 14*time.Second {
		t.Fatalf("Length() = %v", p.Length())
	}
}

func TestValidate(t *testing.T) {
	bad := []Phase{
		{Kind: Constant, ArrivalRate: -1, Duration: time.Second},
		{Kind: Constant, Duration: -time.Second},
		{Kind: Users, Users: 0, Duration: time.Second},
		{Kind: Constant, ArrivalRate: 1, MaxVUsers: -1, Duration: time.Second},
		{Kind: Users, Users: 10, MaxVUsers: 5, Duration: time.Second},
	}
	for i, ph := range bad {
		if _, err := New([]Phase{ph}); err == nil {
			t.Errorf("case %d: New accepted %+v", i, ph)
		}
	}
}

func TestRate(t *testing.T) {
	p, _ := New([]Phase{
		{Kind: Constant, ArrivalRate: 10, Duration: time.Second},
		{Kind: Ramp, ArrivalRate: 0, RampTo: 20, Duration: 3 * time.Second},
	})
	for _, c := range []struct {
		at   time.Duration
		want float64
	}{{500 * time.Millisecond, 10}, {1500 * time.Millisecond, 0}, {2500 * time.Millisecond, 10}, {3500 * time.Millisecond, 20}, {5 * time.Second, 0}} {
		if got := p.Rate(c.at); got != c.want {
			t.Errorf("Rate(%v) = %v, want %v", c.at, got, c.want)
		}
	}
}

// ArrivalsBefore agrees with counting the due times one by one.
func TestArrivalsBefore(t *testing.T) {
	p, _ := New([]Phase{
		{Kind: Constant, ArrivalRate: 10, Duration: time.Second},
		{Kind: Pause, Duration: time.Second},
		{Kind: Ramp, ArrivalRate: 5, RampTo: 50, Duration: 3 * time.Second},
	})
	due := allDue(t, p)
	for _, at := range []time.Duration{0, time.Nanosecond, 250 * time.Millisecond, time.Second, 1500 * time.Millisecond,
		2*time.Second + time.Millisecond, 4 * time.Second, 5 * time.Second, time.Hour} {
		var want int64
		for _, d := range due {
			if d < at {
				want++
			}
		}
		if got := p.ArrivalsBefore(at); got != want {
			t.Errorf("ArrivalsBefore(%v) = %d, want %d", at, got, want)
		}
	}
}

func BenchmarkDue(b *testing.B) {
	p, _ := New([]Phase{{Kind: Ramp, ArrivalRate: 1, RampTo: 100000, Duration: time.Hour}})
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		p.Due(int64(i) % p.Arrivals())
	}
}
