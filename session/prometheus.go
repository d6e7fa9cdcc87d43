package session

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/promexport"
	"github.com/surge-dev/surge/results"
)

// Prometheus says where the test's own metrics go (package promexport).
type Prometheus struct {
	// Addr serves them for scraping at /metrics ("": not served).
	Addr string
	// Linger keeps serving after the test until a scrape has read the
	// final values, at most this long (0: stop at once; the last second
	// is then seen only if a scrape happened to follow it).
	Linger time.Duration
	// RemoteWrite is a remote-write receiver's URL, pushed to every
	// second and once at the end ("": none).
	RemoteWrite string
	// Labels are added to every pushed series, over the defaults
	// job="surge" and instance (this host's name); an empty value drops a
	// default. A scraper adds its own instead, so Labels without
	// RemoteWrite are refused, and so are the names of promexport's
	// OwnLabels.
	Labels map[string]string
}

// promOut feeds the exporter each second and serves or pushes it.
type promOut struct {
	cfg      Prometheus
	exporter *promexport.Exporter
	server   *promexport.Server // nil: not served
	pusher   *promexport.Pusher // nil: not pushed
	abort    <-chan struct{}
	say      func(...string) // the notices: stop's, once the outputs have taken over
	// ctxEnded: the run's context had ended when the test did (Ctrl-C
	// stopped it), so it cannot also mean "stop waiting" at the end.
	ctxEnded bool
}

// checkPrometheus refuses, before any load, a remote-write URL that is
// not one, a label name Prometheus would not take, and labels or a
// linger that would go unused.
func checkPrometheus(p Prometheus) error {
	if len(p.Labels) > 0 && p.RemoteWrite == "" {
		return inputError(errors.New("prometheus: labels apply to pushed series only, and no remote-write URL is given"))
	}
	if p.Linger > 0 && p.Addr == "" {
		return inputError(errors.New("prometheus: a linger keeps serving the scrape endpoint, and no address is given"))
	}
	if p.RemoteWrite == "" {
		return nil
	}
	if err := promexport.CheckURL(p.RemoteWrite); err != nil {
		return inputError(err)
	}
	for name := range p.Labels {
		if err := promexport.CheckLabelName(name); err != nil {
			return inputError(err)
		}
	}
	return nil
}

// startPrometheus listens and starts the pusher; a port taken is an
// error before any load (not an InputError: nothing was wrong with it).
func startPrometheus(meta results.Test, o Options) (*promOut, error) {
	cfg := o.Prometheus
	if cfg.Addr == "" && cfg.RemoteWrite == "" {
		return nil, nil
	}
	p := &promOut{cfg: cfg, abort: o.Abort, say: printLines(orDiscard(o.Notices)),
		exporter: promexport.NewExporter(promexport.Test{Name: meta.Name, Script: meta.Script, Target: meta.Target})}
	if cfg.Addr != "" {
		s, err := promexport.Serve(cfg.Addr, p.exporter)
		if err != nil {
			return nil, fmt.Errorf("prometheus: %w", err)
		}
		p.server = s
	}
	if cfg.RemoteWrite != "" {
		pusher, err := promexport.NewPusher(cfg.RemoteWrite, p.exporter.Registry(), pushLabels(cfg.Labels))
		if err != nil {
			p.stop(context.Background())
			return nil, inputError(err)
		}
		p.pusher = pusher
	}
	return p, nil
}

func printLines(w io.Writer) func(...string) {
	return func(lines ...string) {
		for _, l := range lines {
			fmt.Fprintln(w, l)
		}
	}
}

func pushLabels(given map[string]string) map[string]string {
	host, _ := os.Hostname()
	out := map[string]string{"job": "surge", "instance": host}
	for k, v := range given {
		out[k] = v
		if v == "" {
			delete(out, k) // Prometheus reads an empty label as no label
		}
	}
	return out
}

// Addr is where metrics are served ("" when they are not).
func (p *promOut) Addr() string {
	if p == nil || p.server == nil {
		return ""
	}
	return p.server.Addr()
}

func (p *promOut) snapshot(s *metrics.Snapshot) []string {
	p.exporter.Update(s)
	if p.pusher == nil {
		return nil
	}
	p.pusher.Push(s.Start.Add(s.Elapsed))
	return prefixed(p.pusher.Notices())
}

// ran notes, as the test ends, whether ctx ended it.
func (p *promOut) ran(ctx context.Context) {
	if p != nil {
		p.ctxEnded = ctx.Err() != nil
	}
}

// stop pushes the final values, says what went wrong with the pushes,
// lingers for a scrape of the final values, and stops serving. An
// interrupt ends its waits at once: the abort (a second Ctrl-C), or ctx
// (the run's) ending after the test did; a ctx that ended the test
// leaves the final push its CloseWait.
func (p *promOut) stop(ctx context.Context) {
	if p == nil {
		return
	}
	interrupt, release := p.interrupt(ctx)
	defer release()
	if p.pusher != nil {
		p.pusher.Close(interrupt)
		p.say(prefixed(p.pusher.Notices())...)
		if err := p.pusher.Err(); err != nil {
			p.say("surge: " + err.Error())
		}
	}
	if p.server != nil {
		p.linger(interrupt)
		p.server.Close()
	}
}

// prefixed marks the pusher's notices as Surge's, as its other errors.
func prefixed(lines []string) []string {
	for i, l := range lines {
		lines[i] = "surge: " + l
	}
	return lines
}

// interrupt is closed on the abort, or when ctx ends unless it ended the
// test; release ends the watch.
func (p *promOut) interrupt(ctx context.Context) (<-chan struct{}, func()) {
	if p.ctxEnded {
		return p.abort, func() {}
	}
	out, released := make(chan struct{}), make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			close(out)
		case <-p.abort:
			close(out)
		case <-released:
		}
	}()
	return out, func() { close(released) }
}

func (p *promOut) linger(interrupt <-chan struct{}) {
	if p.cfg.Linger <= 0 || !p.exporter.Final() {
		return
	}
	t := time.NewTimer(p.cfg.Linger)
	defer t.Stop()
	select {
	case <-p.exporter.FinalScraped():
	case <-t.C:
		p.say(p.lingerExpired())
	case <-interrupt:
		// Said, since a second Ctrl-C pressed while the test drained
		// ends the linger before it began: the results file has final
		// values the scrape endpoint never served.
		p.say("surge: prometheus: interrupted: the final values were not scraped (the results file has them)")
	}
}

// lingerExpired says that the linger ran out, and whether anything
// scraped at all: most likely nothing scrapes this address.
func (p *promOut) lingerExpired() string {
	if !p.exporter.Scraped() {
		return fmt.Sprintf("surge: prometheus: nothing scraped http://%s/metrics during the test or the %v linger; "+
			"is a scrape job pointed at it?", p.Addr(), p.cfg.Linger)
	}
	return fmt.Sprintf("surge: prometheus: no scrape read the final values within the %v linger", p.cfg.Linger)
}
