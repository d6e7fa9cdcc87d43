package dashboard

import (
	"errors"
	"fmt"
	"math"
	"net/url"
	"strings"
	"time"

	"github.com/surge-dev/surge/scenario"
)

// Bounds on what the page may ask for. They are far above what one
// machine generates, and there to turn a typo or a hostile request
// (rate 1e308, a million-year duration) into a clear 400 before any load
// is sent, never into a silent clamp.
const (
	MaxUsers     = 1_000_000 // closed-model users
	MaxRate      = 1_000_000 // arrivals or users started per second
	MinRate      = 0.01      // the slowest non-zero rate: one arrival in 100 s
	MaxDuration  = 24 * time.Hour
	MinDuration  = time.Second
	maxHostBytes = 2048
)

// Validate checks every field of a start request against the bounds
// above; zero fields mean "as the script or command line said".
func (r StartRequest) Validate() error {
	if err := checkUsers("users", r.Users); err != nil {
		return err
	}
	if err := checkRate("spawn_rate", r.SpawnRate); err != nil {
		return err
	}
	if err := checkRate("rate", r.Rate); err != nil {
		return err
	}
	if r.Users > 0 && r.Rate > 0 {
		return fmt.Errorf("set users (closed model) or an arrival rate (open model), not both")
	}
	if r.Host != "" {
		if _, err := parseHost(r.Host); err != nil {
			return err
		}
	}
	_, err := r.Length()
	return err
}

// Length is the requested duration; 0 when none was given (until stopped).
func (r StartRequest) Length() (time.Duration, error) {
	if strings.TrimSpace(r.Duration) == "" {
		return 0, nil
	}
	d, err := scenario.ParseDuration(r.Duration)
	if err != nil || d < MinDuration || d > MaxDuration {
		return 0, fmt.Errorf("duration: want e.g. 30s, 5m or 1h, between %v and %v, or nothing (until stopped)",
			MinDuration, MaxDuration)
	}
	return d, nil
}

// Validate checks every field of a load change; 0 is allowed everywhere
// (no users, or arrivals paused).
func (r LoadRequest) Validate() error {
	if r.Users != nil {
		if err := checkUsers("users", *r.Users); err != nil {
			return err
		}
	}
	if r.SpawnRate != nil {
		if err := checkRate("spawn_rate", *r.SpawnRate); err != nil {
			return err
		}
	}
	if r.Rate != nil {
		return checkRate("rate", *r.Rate)
	}
	return nil
}

func checkUsers(name string, n int64) error {
	if n < 0 || n > MaxUsers {
		return fmt.Errorf("%s: want a whole number from 0 to %d, got %d", name, MaxUsers, n)
	}
	return nil
}

// checkRate accepts 0 or a finite rate in [MinRate, MaxRate]. JSON has no
// NaN or infinity, but a Go caller might pass them.
func checkRate(name string, v float64) error {
	if v == 0 || (v >= MinRate && v <= MaxRate) {
		return nil
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Errorf("%s: want a number, got %v", name, v)
	}
	return fmt.Errorf("%s: want 0 or a rate from %v to %v per second, got %v", name, MinRate, float64(MaxRate), v)
}

// hostWithScheme takes a host given without a scheme (localhost:8080/x)
// as http://, as surge's command line takes its URLs: url.Parse would
// read "localhost" as the scheme.
func hostWithScheme(s string) string {
	if s == "" || strings.Contains(s, "://") {
		return s
	}
	return "http://" + s
}

// parseHost reads a base URL given on the page: http or https, with a host.
func parseHost(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil || len(s) > maxHostBytes || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("host: want an http(s) URL such as http://127.0.0.1:8080")
	}
	return u, nil
}

// ErrTargetRefused is why a start request naming another host is refused.
var ErrTargetRefused = errors.New("host refused")

// checkTarget lets the page send load only where the command line said:
// the host the dashboard was started with, unless Config.AllowAnyTarget.
// A page that anyone on the machine can open must not turn Surge into a
// load generator against a host the user never named.
func (s *Server) checkTarget(host string) error {
	if host == "" || s.cfg.AllowAnyTarget {
		return nil
	}
	if s.cfg.Target == "" {
		return fmt.Errorf("%w: this dashboard was started without a target, so the page may not choose one; "+
			"restart it with -t URL, or with --allow-any-target to let the page send load to any host", ErrTargetRefused)
	}
	u, err := parseHost(host)
	if err != nil {
		return err
	}
	want, err := url.Parse(s.cfg.Target)
	if err != nil || !sameHost(u, want) {
		return fmt.Errorf("%w: this dashboard sends load only to %s, the target it was started with; "+
			"restart it with --allow-any-target to let the page choose another host", ErrTargetRefused, s.cfg.Target)
	}
	return nil
}

// sameHost compares scheme, host name and port (the default port of the
// scheme when none is written); paths may differ.
func sameHost(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Hostname(), b.Hostname()) &&
		portOf(a) == portOf(b)
}

func portOf(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if strings.EqualFold(u.Scheme, "https") {
		return "443"
	}
	return "80"
}
