package taskset

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/metrics"
)

// Response is what a request got, for the task to read and judge, as
// Locust's catch_response lets it: Failure counts a response as failed
// whatever its status (a 200 whose body lacks what it should hold),
// Success counts it as not failed (an expected 404). Without either, a
// 4xx or 5xx counts as failed. When no response arrived, Status is 0 and
// Err says why.
type Response struct {
	Status int
	Header http.Header
	Body   []byte // decoded (gzip and others), at most the test's MaxBody

	err     error  // no response, or a body that could not be encoded
	name    string // where it is counted
	failure *Failure
	passed  bool
	pending *engine.Pending
	client  *Client
}

// Failure is a response counted as failed: the task said why
// (Response.Failure), or its status was 4xx or 5xx. As the error a task
// returns it fails the user, counted under Reason (engine.Reasoner).
type Failure struct {
	Name   string // the request's name: its task's
	Reason string
}

func (f *Failure) Error() string { return f.Name + ": " + f.Reason }

// FailureReason implements engine.Reasoner.
func (f *Failure) FailureReason() string { return f.Reason }

// Failure counts the response as a failed request with reason, which the
// dashboard lists and the results count (counter "failures.<name>:
// <reason>"), and makes Err return it. Call it before the client's next
// request; a response is judged once.
func (r *Response) Failure(reason string) {
	if r.failure != nil || r.passed {
		return
	}
	r.failure = &Failure{Name: r.name, Reason: reason}
	if !r.held() { // no response (counted as an error), or counted already
		return
	}
	r.pending.Fail(reason)
	r.client.kind.failures.count(r.client.vu, metrics.FailurePrefix+r.name+": "+reason)
	r.client.release(r)
}

// Success counts the response as a request that did not fail, whatever
// its status, and makes Err return nil. A response that got none stays
// an error.
func (r *Response) Success() {
	if r.failure != nil || r.passed || !r.held() {
		return
	}
	r.passed = true
	r.pending.Pass()
	r.client.release(r)
}

// Err is why the request failed: no response arrived, the task called
// Failure, or the status was 4xx or 5xx (unless the task called
// Success); nil otherwise. Return it from a task to fail the user.
func (r *Response) Err() error {
	switch {
	case r.err != nil:
		return r.err
	case r.failure != nil:
		return r.failure
	case r.passed || r.Status < 400:
		return nil
	}
	return &Failure{Name: r.name, Reason: fmt.Sprintf("HTTP %d", r.Status)}
}

// JSON decodes the response body into v. It returns the decoding's
// error, else Err: a failed response is an error even when its body is
// JSON, so that a task that only reads one returns the failure.
func (r *Response) JSON(v any) error {
	if r.err != nil {
		return r.err
	}
	if len(r.Body) == 0 {
		return fmt.Errorf("%s: HTTP %d with an empty body, no JSON", r.name, r.Status)
	}
	if err := json.Unmarshal(r.Body, v); err != nil {
		return fmt.Errorf("%s: HTTP %d: %w", r.name, r.Status, err)
	}
	return r.Err()
}

// held says whether r is still waiting to be counted.
func (r *Response) held() bool { return r.client != nil && r.client.held == r }

// release forgets r as the client's held response once it is counted.
func (c *Client) release(r *Response) {
	if c.held == r {
		c.held = nil
	}
}
