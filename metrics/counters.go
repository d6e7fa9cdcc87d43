package metrics

import "sync"

// Counter is a named event count that is not a request: an expect check
// that passed or failed, a failed capture, a log line. Counters are small
// integers so that counting is an array increment, like error kinds.
type Counter uint8

// ResentCounter counts the requests sent again on a new connection after
// some of them had been written on one that was then lost (the transport's
// retry of an idempotent request, as net/http's): the server may have
// received each twice, so its count is the requests plus these.
const ResentCounter = "surge.requests_resent"

// FailedByTestCounter counts the responses a test judged failed although
// their status was expected (a Go task's Response.Failure on a 200), and
// PassedByTestCounter those it judged not failed although their status
// was not (Response.Success on an expected 404): the failures are the
// errors, the responses outside the expected statuses less the passed,
// and the failed by the test.
const (
	FailedByTestCounter = "surge.responses_failed_by_test"
	PassedByTestCounter = "surge.responses_passed_by_test"
)

// Counters of a Go user's reasons, one occurrence each (package taskset):
// FailurePrefix + "<request name>: <reason>" counts the responses a task
// failed with that reason (Response.Failure), TaskErrorPrefix + "<task>:
// <message>" the errors its tasks returned or panicked with, as Locust's
// failures and exceptions tables count them.
const (
	FailurePrefix   = "failures."
	TaskErrorPrefix = "task_errors."
)

// MaxCounters bounds how many distinct counters a process can register.
const MaxCounters = 128

var counters struct {
	sync.Mutex
	names []string
	index map[string]Counter
}

// RegisterCounter returns the counter for name, adding it on first use.
// Call it while building a test, not per request. Past MaxCounters it
// returns false.
func RegisterCounter(name string) (Counter, bool) {
	counters.Lock()
	defer counters.Unlock()
	if c, ok := counters.index[name]; ok {
		return c, true
	}
	if len(counters.names) >= MaxCounters {
		return 0, false
	}
	if counters.index == nil {
		counters.index = map[string]Counter{}
	}
	c := Counter(len(counters.names))
	counters.names = append(counters.names, name)
	counters.index[name] = c
	return c, true
}

// String is the counter's registered name.
func (c Counter) String() string {
	counters.Lock()
	defer counters.Unlock()
	if int(c) < len(counters.names) {
		return counters.names[c]
	}
	return ""
}

// Count adds n to a counter; key picks the shard, as for Record.
func (r *Recorder) Count(key uint64, c Counter, n int64) {
	sh := &r.shards[key%uint64(len(r.shards))]
	sh.mu.Lock()
	sh.counters[c] += n
	sh.mu.Unlock()
}
