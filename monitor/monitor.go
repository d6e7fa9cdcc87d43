package monitor

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/surge-dev/surge/transport"
)

// Defaults for the bounds of Config.
const (
	// DefaultMaxSeries is how many series a scrape keeps: every one is
	// stored each second of the results, so a target exposing a hundred
	// thousand series (one per user id, say) would fill memory and disk.
	DefaultMaxSeries = 1000
	// DefaultMaxBytes bounds one scrape's answer.
	DefaultMaxBytes = 16 << 20
)

// Config says what to scrape.
type Config struct {
	URL       string        // a Prometheus text endpoint, e.g. http://127.0.0.1:8080/metrics
	Series    []string      // see Select; empty keeps everything but go_ and process_ series
	Interval  time.Duration // 0: one second
	Timeout   time.Duration // per scrape; 0: the interval
	MaxSeries int           // 0: DefaultMaxSeries
	MaxBytes  int64         // 0: DefaultMaxBytes
}

// Monitor scrapes in the background and keeps the latest values. What
// goes wrong (the first failed scrape, the recovery, series cut or
// dropped) is kept as notices for the caller to print: see Notices.
type Monitor struct {
	cfg    Config
	client *http.Client
	shown  string // the URL for messages, password hidden

	mu      sync.Mutex
	latest  map[string]float64
	errs    int
	last    error
	failing int  // failed scrapes since the last good one
	told    bool // the cut or dropped series were reported
	notices []string
}

// New checks the config and returns a monitor; Run starts it.
func New(cfg Config) (*Monitor, error) {
	if cfg.URL == "" {
		return nil, errors.New("monitor: no URL")
	}
	if why := transport.URLProblem(cfg.URL); why != "" {
		return nil, fmt.Errorf("monitor: %q %s", cfg.URL, why)
	}
	u, err := url.Parse(cfg.URL)
	if err != nil {
		return nil, err
	}
	if cfg.Interval <= 0 {
		cfg.Interval = time.Second
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = cfg.Interval
	}
	if cfg.MaxSeries <= 0 {
		cfg.MaxSeries = DefaultMaxSeries
	}
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = DefaultMaxBytes
	}
	return &Monitor{cfg: cfg, client: &http.Client{Timeout: cfg.Timeout}, shown: u.Redacted()}, nil
}

// Run scrapes once at once and then every interval until ctx ends.
func (m *Monitor) Run(ctx context.Context) {
	t := time.NewTicker(m.cfg.Interval)
	defer t.Stop()
	for {
		m.scrapeOnce(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (m *Monitor) scrapeOnce(ctx context.Context) {
	vals, err := m.Scrape(ctx)
	if ctx.Err() != nil {
		return // the run ended during the scrape: not the target's failure
	}
	var b bounded
	if err == nil {
		b = bound(vals, m.cfg.MaxSeries)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if err != nil {
		m.failed(err)
		return
	}
	if m.failing > 0 {
		m.notify("monitor: scraping %s works again, after %d failed scrapes", m.shown, m.failing)
		m.failing = 0
	}
	m.tellCuts(b)
	m.latest = b.kept
}

// failed counts a failed scrape; the first of a run of failures becomes a
// notice, the rest are only counted (see Errors).
func (m *Monitor) failed(err error) {
	m.errs++
	m.last = err
	if m.failing == 0 {
		m.notify("%v; the target-side series stay empty until a scrape works", err)
	}
	m.failing++
}

// tellCuts reports, once, series that were cut or dropped.
func (m *Monitor) tellCuts(b bounded) {
	if m.told || (b.cut == 0 && len(b.nonFinite) == 0) {
		return
	}
	m.told = true
	if b.cut > 0 {
		m.notify("monitor: %s exposes %d series; keeping the first %d by name and cutting %d (choose them with --monitor-series or config.monitor.series)",
			m.shown, len(b.kept)+b.cut+len(b.nonFinite), len(b.kept), b.cut)
	}
	if n := len(b.nonFinite); n > 0 {
		m.notify("monitor: %d series are NaN or infinite and are not recorded (JSON has no such numbers), e.g. %s", n, b.nonFinite[0])
	}
}

func (m *Monitor) notify(format string, args ...any) {
	m.notices = append(m.notices, fmt.Sprintf(format, args...))
}

// Notices returns what happened since the last call: at most a few lines
// a run, each worth telling the user.
func (m *Monitor) Notices() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := m.notices
	m.notices = nil
	return out
}

// Scrape fetches and selects the series once, reading at most MaxBytes.
func (m *Monitor) Scrape(ctx context.Context) (map[string]float64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, m.cfg.URL, nil)
	if err != nil {
		return nil, fmt.Errorf("monitor: %w", err)
	}
	req.Header.Set("Accept", "text/plain;version=0.0.4")
	resp, err := m.client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the URL is said once, with its password hidden
		}
		return nil, fmt.Errorf("monitor: scraping %s failed: %w", m.shown, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("monitor: %s answered %s", m.shown, resp.Status)
	}
	body := &limitedReader{r: resp.Body, left: m.cfg.MaxBytes}
	all, err := Parse(body)
	if body.over {
		return nil, fmt.Errorf("monitor: %s answered more than %d bytes; Surge reads at most that much per scrape", m.shown, m.cfg.MaxBytes)
	}
	if err != nil {
		return nil, err
	}
	return Select(all, m.cfg.Series), nil
}

// limitedReader is io.LimitReader that remembers whether there was more.
type limitedReader struct {
	r    io.Reader
	left int64
	over bool
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		var one [1]byte
		if n, _ := l.r.Read(one[:]); n > 0 {
			l.over = true
		}
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), l.left)]
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}

// Final scrapes once more, at once, and returns the latest values. A run
// ends between two ticks: without it, what the target did in the run's
// last fraction of a second (its last throttles, say) would be missing
// from the last interval, and the summary's last value would fall short
// of the target's own count. A failed scrape keeps the previous values.
func (m *Monitor) Final(ctx context.Context) map[string]float64 {
	m.scrapeOnce(ctx)
	return m.Latest()
}

// Latest returns a copy of the most recent successful scrape (nil before
// the first).
func (m *Monitor) Latest() map[string]float64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return maps.Clone(m.latest)
}

// Errors reports how many scrapes failed and the last failure.
func (m *Monitor) Errors() (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.errs, m.last
}
