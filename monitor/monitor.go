package monitor

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"sync"
	"time"
)

// Config says what to scrape.
type Config struct {
	URL      string        // a Prometheus text endpoint, e.g. http://127.0.0.1:8080/metrics
	Series   []string      // see Select; empty keeps everything but go_ and process_ series
	Interval time.Duration // 0: one second
	Timeout  time.Duration // per scrape; 0: the interval
}

// Monitor scrapes in the background and keeps the latest values.
type Monitor struct {
	cfg    Config
	client *http.Client

	mu     sync.Mutex
	latest map[string]float64
	errs   int
	last   error
}

// New checks the config and returns a monitor; Run starts it.
func New(cfg Config) (*Monitor, error) {
	if cfg.URL == "" {
		return nil, errors.New("monitor: no URL")
	}
	if cfg.Interval <= 0 {
		cfg.Interval = time.Second
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = cfg.Interval
	}
	return &Monitor{cfg: cfg, client: &http.Client{Timeout: cfg.Timeout}}, nil
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
	m.mu.Lock()
	defer m.mu.Unlock()
	if err != nil {
		m.errs++
		m.last = err
		return
	}
	m.latest = vals
}

// Scrape fetches and selects the series once.
func (m *Monitor) Scrape(ctx context.Context) (map[string]float64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, m.cfg.URL, nil)
	if err != nil {
		return nil, fmt.Errorf("monitor: %w", err)
	}
	req.Header.Set("Accept", "text/plain;version=0.0.4")
	resp, err := m.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("monitor: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("monitor: %s answered %s", m.cfg.URL, resp.Status)
	}
	all, err := Parse(resp.Body)
	if err != nil {
		return nil, err
	}
	return Select(all, m.cfg.Series), nil
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
