package session

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/surge-dev/surge/alert/notify"
)

// maxQueuedPosts bounds the notifications waiting to be sent: a receiver
// that hangs must not grow the memory of a long test without bound.
const maxQueuedPosts = 1000

// finishWait bounds how long the end of a run waits for notifications
// still queued (each post is bounded by notify.Timeout).
const finishWait = 30 * time.Second

// post is one notification to send.
type post struct {
	notifier string
	alert    notify.Alert
	send     func(context.Context, ...notify.Alert) error
}

// poster sends notifications one at a time on its own goroutine, so
// that a slow receiver never holds up the test, and collects what to say
// about them (the first failure of each notifier; how many failed in all
// at the end) for the test's goroutine to print with its other lines.
type poster struct {
	queue  chan post
	done   chan struct{}
	ctx    context.Context
	cancel context.CancelFunc

	mu      sync.Mutex
	lines   []string // not yet printed
	failed  map[string]int
	sent    map[string]int
	dropped int
}

func newPoster() *poster {
	ctx, cancel := context.WithCancel(context.Background())
	p := &poster{queue: make(chan post, maxQueuedPosts), done: make(chan struct{}), ctx: ctx, cancel: cancel,
		failed: map[string]int{}, sent: map[string]int{}}
	go p.run()
	return p
}

func (p *poster) run() {
	defer close(p.done)
	for job := range p.queue {
		err := job.send(p.ctx, job.alert)
		p.mu.Lock()
		p.sent[job.notifier]++
		if err != nil {
			p.failed[job.notifier]++
			if p.failed[job.notifier] == 1 {
				p.lines = append(p.lines, fmt.Sprintf("notify %s: %v", job.notifier, err))
			}
		}
		p.mu.Unlock()
	}
}

// enqueue hands a notification to the poster; a full queue drops it.
func (p *poster) enqueue(notifier string, a notify.Alert, send func(context.Context, ...notify.Alert) error) {
	select {
	case p.queue <- post{notifier: notifier, alert: a, send: send}:
	default:
		p.mu.Lock()
		p.dropped++
		p.mu.Unlock()
	}
}

// drain returns the lines not yet printed.
func (p *poster) drain() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	lines := p.lines
	p.lines = nil
	return lines
}

// close sends what is queued (cancelling what is left after finishWait)
// and returns the lines left to print, with what failed in all.
func (p *poster) close() []string {
	close(p.queue)
	timer := time.AfterFunc(finishWait, p.cancel)
	<-p.done
	timer.Stop()
	p.cancel()
	lines := p.drain()
	for _, name := range slices.Sorted(maps.Keys(p.failed)) {
		lines = append(lines, fmt.Sprintf("notify %s: %d of %d notifications failed", name, p.failed[name], p.sent[name]))
	}
	if p.dropped > 0 {
		lines = append(lines, fmt.Sprintf("notify: %d notifications dropped (more than %d waiting to be sent)", p.dropped, maxQueuedPosts))
	}
	return lines
}
