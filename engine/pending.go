package engine

import (
	"fmt"
	"net/http"
	"time"

	"github.com/surge-dev/surge/metrics"
)

// Pending is a response that is not counted yet: its caller looks at it
// and then says whether it failed, as Locust's catch_response lets a test
// decide (a 200 whose body says "error" failed; a 404 that was expected
// did not). Until one of Record, Fail or Pass is called it is in no
// statistic; the first call counts, later ones do nothing. Like the VU, it
// is for the goroutine running the VU's scenario only.
type Pending struct {
	vu                   *VU
	endpoint             int
	intended, sent, done time.Time
	sample               metrics.Sample
	recorded             bool
}

// DoPending is Do whose final response is left for the caller to count,
// through the Pending returned with it. Redirect hops before it are
// recorded as Do records them. On an error (no response, or a redirect
// that cannot be followed) every request is recorded at once and the
// Pending is nil.
func (vu *VU) DoPending(endpoint int, req *http.Request, keepBody bool) (*Response, *Pending, error) {
	resp, p, err := vu.followHeld(endpoint, req, keepBody, 0)
	if err != nil && p != nil {
		p.Record()
		return resp, nil, err
	}
	return resp, p, err
}

// Record counts the response as Do would have: failed if the test does
// not expect its status (Test.Expect).
func (p *Pending) Record() { p.count(func(*metrics.Sample) {}) }

// Fail counts the response as a failed request whatever its status, and
// shows reason as its message where errors are listed (the dashboard).
func (p *Pending) Fail(reason string) {
	p.count(func(s *metrics.Sample) {
		if !s.Failed {
			p.vu.Count(failedByTest, 1)
		}
		s.Failed = true
		if c := p.vu.run.test.Control; c != nil {
			c.addError(ErrorMessage{At: p.done, Endpoint: p.vu.run.test.Endpoints[p.endpoint],
				Kind: FailureKind, Message: reason})
		}
	})
}

// FailureKind is the kind of the error messages of responses a test
// failed itself (Pending.Fail).
const FailureKind = "failure"

// Pass counts the response as a request that did not fail, whatever its
// status.
func (p *Pending) Pass() {
	p.count(func(s *metrics.Sample) {
		if s.Failed {
			p.vu.Count(passedByTest, 1)
		}
		s.Failed = false
	})
}

// failedByTest and passedByTest count the responses Fail and Pass judged
// otherwise than their status would have, so that the summary can say
// what the failures are (metrics.FailedByTestCounter).
var (
	failedByTest, _ = metrics.RegisterCounter(metrics.FailedByTestCounter)
	passedByTest, _ = metrics.RegisterCounter(metrics.PassedByTestCounter)
)

// count records the response once, after judge has had its say.
func (p *Pending) count(judge func(*metrics.Sample)) {
	if p.recorded {
		return
	}
	p.recorded = true
	p.sample.Failed = !p.vu.run.expect.Has(p.sample.Status)
	judge(&p.sample)
	p.store()
}

// checkStatus turns a status outside 100 to 599, which is no HTTP status,
// into a protocol error, so that requests always equal responses by code
// plus errors.
func (p *Pending) checkStatus() error {
	if p.sample.Status >= metrics.MinStatus && p.sample.Status <= metrics.MaxStatus {
		return nil
	}
	err := &RequestError{Kind: metrics.ErrProtocol, Err: fmt.Errorf("status code %d is outside 100-599", p.sample.Status)}
	p.sample.Status, p.sample.Err = 0, metrics.ErrProtocol
	return err
}

// record counts a request whose fate the engine decides: failed if it
// got no response (err) or a status the test does not expect. It returns
// err.
func (p *Pending) record(err error) error {
	p.recorded = true
	p.sample.Failed = p.sample.Err != metrics.NoError || !p.vu.run.expect.Has(p.sample.Status)
	p.store()
	if err != nil && p.vu.run.test.Control != nil {
		p.vu.run.test.Control.addError(ErrorMessage{At: p.done, Endpoint: p.vu.run.test.Endpoints[p.endpoint],
			Kind: p.sample.Err.String(), Message: errorText(err)})
	}
	return err
}

// store times the sample and hands it to the recorder.
func (p *Pending) store() {
	r := p.vu.run
	p.sample.Endpoint = p.endpoint
	p.sample.Latency = p.done.Sub(p.intended)
	p.sample.Service = p.done.Sub(p.sent)
	r.rec.Record(p.vu.ID, &p.sample)
	if r.test.sampled != nil {
		r.test.sampled(p.sample)
	}
}
