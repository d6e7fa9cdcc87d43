package lambda

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(*Config)
		wantErr string // "" for valid
	}{
		{"defaults", func(*Config) {}, ""},
		{"legacy", func(c *Config) { c.ScalingModel = Legacy; c.Burst = 500 }, ""},
		{"no account concurrency", func(c *Config) { c.AccountConcurrency = 0 }, "account concurrency"},
		{"reservation eats the unreserved 100", func(c *Config) { c.ReservedConcurrency = 901 }, "unreserved"},
		{"reservation leaves exactly 100", func(c *Config) { c.ReservedConcurrency = 900 }, ""},
		{"provisioned above reserved", func(c *Config) { c.ReservedConcurrency, c.ProvisionedConcurrency = 10, 11 }, "provisioned"},
		{"provisioned in the unreserved 100", func(c *Config) { c.ProvisionedConcurrency = 901 }, "provisioned"},
		{"unknown scaling model", func(c *Config) { c.ScalingModel = "fast" }, "scaling model"},
		{"legacy without burst", func(c *Config) { c.ScalingModel = Legacy; c.Burst = 0 }, "burst"},
		{"timeout above 15 minutes", func(c *Config) { c.Timeout = 901 * time.Second }, "timeout"},
		{"zero timeout", func(c *Config) { c.Timeout = 0 }, "timeout"},
		{"negative init", func(c *Config) { c.InitDuration = -1 }, "durations"},
		{"zero idle expiry", func(c *Config) { c.IdleExpiry = 0 }, "idle expiry"},
		{"zero rate window", func(c *Config) { c.RateWindow = 0 }, "rate window"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultConfig()
			tt.edit(&cfg)
			err := cfg.Validate()
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !errors.Is(err, ErrInvalidConfig) {
				t.Fatalf("Validate() = %v, want an ErrInvalidConfig mentioning %q", err, tt.wantErr)
			}
			if _, err := New(cfg); err == nil {
				t.Fatal("New accepted a config Validate refused")
			}
		})
	}
}

func TestThrottleReasons(t *testing.T) {
	want := map[Throttle]string{
		AccountConcurrency:  "ConcurrentInvocationLimitExceeded",
		ScalingRate:         "ConcurrentInvocationLimitExceeded",
		ReservedConcurrency: "ReservedFunctionConcurrentInvocationLimitExceeded",
		AccountRate:         "FunctionInvocationRateLimitExceeded",
		ReservedRate:        "ReservedFunctionInvocationRateLimitExceeded",
	}
	for _, thr := range Throttles {
		if got := thr.Reason(); got != want[thr] {
			t.Errorf("%v.Reason() = %q, want %q", thr, got, want[thr])
		}
	}
	if None.Reason() != "" || len(Throttles) != len(want) {
		t.Errorf("None.Reason() = %q, %d causes listed", None.Reason(), len(Throttles))
	}
}

func TestHold(t *testing.T) {
	c := DefaultConfig() // 100 ms handler, 200 ms init, 3 s timeout
	for _, tt := range []struct {
		handler  time.Duration
		cold     bool
		want     time.Duration
		timedOut bool
	}{
		{100 * time.Millisecond, false, 100 * time.Millisecond, false},
		{100 * time.Millisecond, true, 300 * time.Millisecond, false},
		{5 * time.Second, true, 3200 * time.Millisecond, true}, // init is outside the timeout
	} {
		c.HandlerDuration = tt.handler
		if d, out := c.Hold(tt.cold); d != tt.want || out != tt.timedOut {
			t.Errorf("handler %v cold %v: hold %v timed out %v, want %v %v", tt.handler, tt.cold, d, out, tt.want, tt.timedOut)
		}
	}
}
