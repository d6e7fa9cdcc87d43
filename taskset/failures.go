package taskset

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/metrics"
)

// maxFailureReasons bounds the named counters one test makes of the
// reasons tasks give to Response.Failure and of the errors they return,
// together: reasons may carry values, and counters are few
// (metrics.MaxCounters in a process). Past it, failed responses are still
// counted as failed requests, not by reason, and task errors not at all.
const maxFailureReasons = 32

// failureCounters counts failed responses by request name and reason, as
// Locust's failures table does, under counters "failures.<name>:
// <reason>" in the results, and the errors tasks returned (or panicked
// with) by task and message, as Locust's exceptions table does, under
// "task_errors.<task>: <message>".
type failureCounters struct {
	mu  sync.Mutex
	ids map[string]metrics.Counter
}

func (f *failureCounters) count(vu *engine.VU, key string) {
	f.mu.Lock()
	id, ok := f.ids[key]
	if !ok && len(f.ids) < maxFailureReasons {
		if id, ok = metrics.RegisterCounter(key); ok {
			f.ids[key] = id
		}
	}
	f.mu.Unlock()
	if ok {
		vu.Count(id, 1)
	}
}

// TaskErrorPrefix begins the name of the counters of the errors tasks
// returned or panicked with, one occurrence each: "task_errors.<task>:
// <message>" (an OnStart's or OnStop's under "<user>.on_start" or
// "<user>.on_stop"). A returned response failure is not among them: its
// request is counted as failed already.
const TaskErrorPrefix = metrics.TaskErrorPrefix

// maxErrorText bounds the message a task error is counted under.
const maxErrorText = 100

// counted counts err, which the code of the task (or OnStart, OnStop)
// being run returned, as a task error, and names the task in it, unless
// it is no error of the task's own: none, a stop, a response failure
// (counted as a failed request, and named), or a request that got no
// response (counted as an error, and named here).
func (c *Client) counted(err error) error {
	var f *Failure
	var re *engine.RequestError
	switch {
	case err == nil || errors.Is(err, ErrStopUser) || errors.Is(err, engine.ErrStopped) || errors.Is(err, context.Canceled):
		return err
	case errors.As(err, &f):
		return err
	}
	if !strings.HasPrefix(err.Error(), c.name+": ") {
		err = fmt.Errorf("%s: %w", c.name, err)
	}
	if !errors.As(err, &re) {
		text := strings.TrimPrefix(err.Error(), c.name+": ")
		var p *engine.PanicError
		if errors.As(err, &p) { // at the file and line: a closure's function name is long
			_, at, _ := strings.Cut(p.Where, ", ")
			text = fmt.Sprintf("panic: %v (at %s)", p.Value, at)
		}
		if r := []rune(text); len(r) > maxErrorText {
			text = string(r[:maxErrorText-1]) + "…"
		}
		c.kind.failures.count(c.vu, TaskErrorPrefix+c.name+": "+text)
	}
	return err
}
