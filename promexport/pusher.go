package promexport

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/exp/api/remote"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/surge-dev/surge/transport"
)

// Pusher sends the gathered series to a remote-write receiver (protocol
// 1.0: a snappy-compressed prometheus.WriteRequest) from its own
// goroutine, so that a slow receiver never holds up the test: each Push
// asks for one, and a push still under way when the next is asked for
// sends the newest values when it is done (the series are totals, so a
// skipped second loses nothing but its point).
type Pusher struct {
	api    *remote.API
	gather prometheus.Gatherer
	labels []label

	// ctx is every push's; Close cancels it, with the reason as its
	// cause, to cut a push short at the end.
	ctx    context.Context
	cancel context.CancelCauseFunc

	mu      sync.Mutex
	pending int64 // timestamp (ms) of the values to push; 0: none
	last    int64 // timestamp (ms) of the last push
	report  pushReport

	wake, stop, done chan struct{}
}

// pushReport counts pushes and what went wrong, for the notices.
type pushReport struct {
	pushes, failed int
	last           error
	failing        bool     // the last push failed
	notices        []string // not yet said
	closing        bool     // Err sums up what fails from now on
}

// PushTimeout bounds one push, retries included.
const PushTimeout = 5 * time.Second

// CloseWait bounds Close: the push under way and the final one together
// may hold the end of a test this long at most.
const CloseWait = 5 * time.Second

// NewPusher checks the receiver's URL (http or https, with a host) and
// starts the pusher; labels (job, instance) are added to every series.
func NewPusher(rawURL string, g prometheus.Gatherer, labels map[string]string) (*Pusher, error) {
	if err := CheckURL(rawURL); err != nil {
		return nil, err
	}
	api, err := remote.NewAPI(rawURL, remote.WithAPIPath(""), remote.WithAPIHTTPClient(&http.Client{}),
		remote.WithAPIBackoff(remote.BackoffConfig{Min: 100 * time.Millisecond, Max: time.Second, MaxRetries: 2}))
	if err != nil {
		return nil, fmt.Errorf("remote write: %w", err)
	}
	p := &Pusher{api: api, gather: g, wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	p.ctx, p.cancel = context.WithCancelCause(context.Background())
	for k, v := range labels {
		p.labels = append(p.labels, label{k, v})
	}
	go p.loop()
	return p, nil
}

// CheckURL refuses a receiver URL no request can be sent to (see
// transport.URLProblem).
func CheckURL(rawURL string) error {
	if why := transport.URLProblem(rawURL); why != "" {
		return fmt.Errorf("remote write: %q %s", rawURL, why)
	}
	return nil
}

// labelName is a label name as Prometheus's data model allows it
// everywhere (names starting with __ are reserved for its own use).
var labelName = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)

// CheckLabelName refuses a label to add to every series that Prometheus
// would not take: not a label name, or one of OwnLabels, which a series
// would then carry twice (the receiver rejects every push).
func CheckLabelName(name string) error {
	if !labelName.MatchString(name) || strings.HasPrefix(name, "__") {
		return fmt.Errorf("remote write: %q is not a label name (letters, digits and _, not starting with a digit or __)", name)
	}
	if ownLabels[name] {
		return fmt.Errorf("remote write: %q is a label of Surge's own series (%s): a series would carry it twice",
			name, strings.Join(OwnLabels(), ", "))
	}
	return nil
}

// Push asks for the values gathered now to be sent, stamped at.
func (p *Pusher) Push(at time.Time) {
	p.mu.Lock()
	p.pending = at.UnixMilli()
	p.mu.Unlock()
	select {
	case p.wake <- struct{}{}:
	default: // a push is asked for already; it will send these values
	}
}

// Close sends what is pending (the final values) after the push under
// way, and stops the pusher. It waits CloseWait at most for both, and
// not at all once interrupt is closed (nil: never): then it cuts the
// pushes short, which Err reports.
func (p *Pusher) Close(interrupt <-chan struct{}) {
	p.mu.Lock()
	p.report.closing = true
	p.mu.Unlock()
	close(p.stop)
	t := time.NewTimer(CloseWait)
	defer t.Stop()
	select {
	case <-p.done:
		return
	case <-t.C:
		p.cancel(fmt.Errorf("no answer within %v of the test's end", CloseWait))
	case <-interrupt:
		p.cancel(errors.New("interrupted at the test's end"))
	}
	<-p.done // at once: every push's context is cancelled
}

func (p *Pusher) loop() {
	defer close(p.done)
	for {
		select {
		case <-p.wake:
			p.pushPending()
		case <-p.stop:
			p.pushPending()
			return
		}
	}
}

func (p *Pusher) pushPending() {
	p.mu.Lock()
	ts := p.pending
	p.pending = 0
	if ts != 0 {
		ts = later(ts, p.last)
		p.last = ts
	}
	p.mu.Unlock()
	if ts == 0 {
		return
	}
	err := p.push(ts)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.report.record(err)
}

// later is ts, or a millisecond after the last push's when it is not
// after it. The final snapshot of a test can follow the last second's
// within the same millisecond on a busy machine, and Prometheus refuses a
// second sample of a series at a timestamp it holds ("duplicate sample
// for timestamp"), or before it: the final values, the ones that agree
// with the results file, would be lost.
func later(ts, last int64) int64 {
	if ts <= last {
		return last + 1
	}
	return ts
}

func (p *Pusher) push(ts int64) error {
	fams, err := p.gather.Gather()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeoutCause(p.ctx, PushTimeout, fmt.Errorf("no answer within %v", PushTimeout))
	defer cancel()
	_, err = p.api.Write(ctx, remote.WriteV1MessageType, encodeWriteRequest(fams, p.labels, ts))
	if cause := context.Cause(ctx); err != nil && cause != nil {
		return cause // timed out or cut short by Close: say why, not "context canceled"
	}
	return err
}

func (r *pushReport) record(err error) {
	r.pushes++
	switch {
	case r.closing: // Err says how the end went
	case err != nil && !r.failing:
		r.notices = append(r.notices, fmt.Sprintf("remote write: %s (later failures are counted at the end)", condense(err)))
	case err == nil && r.failing:
		r.notices = append(r.notices, "remote write: pushing again")
	}
	r.failing = err != nil
	if err != nil {
		r.failed++
		r.last = err
	}
}

// Notices returns what to say since the last call: the first failure of
// a run of them, and the recovery.
func (p *Pusher) Notices() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := p.report.notices
	p.report.notices = nil
	return out
}

// Err sums up the failed pushes in one line (nil: none failed), saying
// whether the final values, the last push after Close, got through.
func (p *Pusher) Err() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	r := p.report
	if r.failed == 0 {
		return nil
	}
	if r.failing {
		return fmt.Errorf("remote write: the final values were not pushed (%s); %d of %d pushes failed", condense(r.last), r.failed, r.pushes)
	}
	return fmt.Errorf("remote write: %d of %d pushes failed (the last: %s); the final values were pushed", r.failed, r.pushes, condense(r.last))
}

// maxErrLen bounds an error in a notice: a receiver's answer is in it.
const maxErrLen = 200

// condense puts an error on one line, short: the receiver's body that
// the remote API quotes may run over lines (a trailing newline at least).
func condense(err error) string {
	s := strings.Join(strings.Fields(err.Error()), " ")
	if r := []rune(s); len(r) > maxErrLen {
		s = string(r[:maxErrLen]) + "…"
	}
	return s
}
