package plan

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/surge-dev/surge/scaling/lambda"
)

// TestAdvice checks each answer by its definition: with the advised
// setting the throttles it targets are gone, and with one less they are
// not.
func TestAdvice(t *testing.T) {
	tests := []struct {
		name    string
		profile Profile
		edit    func(*lambda.Config)
		// setting reads and writes the advised setting.
		setting func(*LambdaAdvice) int
		apply   func(*lambda.Config, int)
		gone    func(lambda.ThrottleCounts) bool
	}{
		{"provisioned: a legacy spike", constant(0, 60, 800),
			func(c *lambda.Config) {
				c.AccountConcurrency, c.HandlerDuration, c.ScalingModel, c.Burst = 3000, time.Second, lambda.Legacy, 500
			},
			func(a *LambdaAdvice) int { return a.Provisioned },
			func(c *lambda.Config, n int) { c.ProvisionedConcurrency = n },
			func(th lambda.ThrottleCounts) bool { return th.Total() == 0 }},
		{"reserved: 400 req/s × 250 ms against 60", constant(0, 30, 400),
			func(c *lambda.Config) { c.HandlerDuration, c.ReservedConcurrency = 250*time.Millisecond, 60 },
			func(a *LambdaAdvice) int { return a.Reserved },
			func(c *lambda.Config, n int) { c.ReservedConcurrency = n },
			func(th lambda.ThrottleCounts) bool { return th.ReservedConcurrency+th.ReservedRate == 0 }},
		{"account: a small account", constant(0, 30, 400),
			func(c *lambda.Config) { c.HandlerDuration, c.AccountConcurrency = 250*time.Millisecond, 40 },
			func(a *LambdaAdvice) int { return a.AccountConcurrency },
			func(c *lambda.Config, n int) { c.AccountConcurrency = n },
			func(th lambda.ThrottleCounts) bool { return th.AccountConcurrency+th.AccountRate == 0 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := lambdaConfig(tt.edit)
			pl, err := PlanLambda(tt.profile, cfg)
			if err != nil {
				t.Fatal(err)
			}
			if err := Advise(pl, tt.profile); err != nil {
				t.Fatal(err)
			}
			n := tt.setting(pl.Advice)
			if n <= 0 {
				t.Fatalf("advice %+v: no value", *pl.Advice)
			}
			for _, try := range []struct {
				n    int
				gone bool
			}{{n, true}, {n - 1, false}} {
				c := cfg
				tt.apply(&c, try.n)
				th, err := throttlesWith(tt.profile, c)
				if err != nil || tt.gone(th) != try.gone {
					t.Fatalf("with %d: throttles %+v (%v); want gone=%v", try.n, th, err, try.gone)
				}
			}
			t.Logf("advice %+v", *pl.Advice)
		})
	}
}

// TestAdviceWhenNothingHelps: a reservation already at its most cannot
// be raised, and provisioned concurrency cannot pass it either.
func TestAdviceWhenNothingHelps(t *testing.T) {
	p := constant(0, 20, 2000)
	pl, err := PlanLambda(p, lambdaConfig(func(c *lambda.Config) { c.HandlerDuration, c.ReservedConcurrency = time.Second, 900 }))
	if err != nil {
		t.Fatal(err)
	}
	if err := Advise(pl, p); err != nil {
		t.Fatal(err)
	}
	if a := pl.Advice; a.Provisioned != -1 || a.Reserved != -1 {
		t.Fatalf("advice %+v, want -1 for provisioned and reserved", *a)
	}
	var b bytes.Buffer
	if err := WriteLambda(&b, pl); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"provisioned concurrency: not enough, even at the most the account (or the reservation) allows", "reserved concurrency: not enough, even at the most the account allows"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, b.String())
		}
	}
}

func TestRowWindow(t *testing.T) {
	for _, tt := range []struct{ n, want int }{{40, 1}, {41, 5}, {200, 5}, {201, 10}, {2400, 60}, {2401, 120}, {7 * 24 * 3600, 15120}} {
		if got := rowWindow(tt.n); got != tt.want {
			t.Errorf("rowWindow(%d) = %d, want %d", tt.n, got, tt.want)
		}
		if rows := (tt.n + rowWindow(tt.n) - 1) / rowWindow(tt.n); rows > maxRows {
			t.Errorf("%d seconds print %d rows", tt.n, rows)
		}
	}
}

// TestWriteTables prints both plans and checks the lines a reader looks
// for, and that a long plan is summed into at most maxRows rows.
func TestWriteTables(t *testing.T) {
	p := constant(10, 290, 300)
	pl, err := PlanLambda(p, lambdaConfig(func(c *lambda.Config) {
		c.AccountConcurrency, c.HandlerDuration, c.ScalingModel, c.Burst = 5000, time.Second, lambda.Legacy, 50
	}))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteLambda(&b, pl); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"legacy rule (burst 50, then +500 a minute), account 5000", "concurrency needed (req/s × duration)  300",
		"throttling (time to scale)             0:10 to", "each row sums 10 s"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("Lambda table lacks %q:\n%s", want, b.String())
		}
	}
	fp, err := PlanFleet(constant(0, 600, 300), fleetConfig(), DefaultQueueTimeout)
	if err != nil {
		t.Fatal(err)
	}
	b.Reset()
	if err := WriteFleet(&b, fp); err != nil {
		t.Fatal(err)
	}
	// Ten minutes at 300 req/s: each scale-out computes from the tasks
	// running, so the service catches up in 6½ minutes (overshooting to
	// the maximum, since a datapoint lags the tasks it averages); the
	// plan runs on without load until it has scaled back in.
	for _, want := range []string{"tasks needed at the peak  6", "3:00  scale-out 1 → 2", "4:00  scale-out 2 → 4",
		"scale-out                 0:00 to 6:30 (6m30s)", "scale-in                  10:00 to 21:00 (11m0s)", "settles in 16m0s",
		"each row sums 60 s"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("fleet table lacks %q:\n%s", want, b.String())
		}
	}
}
