package engine

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"net/url"
	"time"

	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/transport"
	"github.com/surge-dev/surge/transport/h1"
)

// ErrStopped is returned by VU methods once the VU has been told to stop:
// its phase ended or the test was interrupted. Scenarios should return it.
var ErrStopped = errors.New("virtual user stopped")

// ErrStopUser, returned by a scenario, ends its VU as Locust's StopUser
// does: a closed-model user runs no further iteration (and is not
// replaced), an arrival ends; the VU counts as completed, not failed.
var ErrStopUser = errors.New("the user stopped itself")

// RequestError wraps a request that got no response; Kind is what was
// recorded for it.
type RequestError struct {
	Kind metrics.ErrorKind
	Err  error
}

func (e *RequestError) Error() string { return e.Kind.String() + ": " + e.Err.Error() }
func (e *RequestError) Unwrap() error { return e.Err }

// VU is one virtual user. Its methods are for the goroutine running its
// scenario only.
type VU struct {
	ID       uint64
	Scenario string
	// Iteration numbers the current scenario run in the whole test, the
	// same in a single run and in the share of a segmented test that runs
	// it: an arrival's global index in the plan; for a closed-model user
	// (user j of a phase of U users, in spawn order), its k-th run is
	// k·U + j, counted per phase. Scripts pick sequential payload rows by
	// it.
	Iteration int64
	// Vars is free for the scenario's own state (scripts keep their
	// variables here). The engine never reads it.
	Vars map[string]any

	client *http.Client
	jar    *transport.Jar
	run    *runner
	soft   context.Context // cancelled when the VU must stop starting work
	next   time.Time       // intended start of the next request
	pooled bool            // a pool worker: it is itself a connection slot
	span   metrics.Span    // the span of statistics the current run started in
	key    uint64          // the current run's identity hashed under the test's seed
	seeded bool            // rng is seeded from key
	pcg    *rand.PCG       // behind rng; nil until Rand is first called
	rng    *rand.Rand
	body   *h1.Body // SendWire's response bodies, read one after another; made on first use
	// looping marks a closed-model user, which runs its scenario again
	// and again.
	looping bool
	// onStop is what the scenario asked to run when the VU stops (OnStop).
	onStop func() error
}

// Response is what a request returned.
type Response struct {
	Status int
	Proto  string
	Header http.Header
	// Body is nil unless the body was kept: then it is decoded (gzip,
	// deflate, br, zstd) and holds at most Test.MaxBody bytes.
	Body []byte
	// Truncated says that the kept body was longer than Test.MaxBody and
	// was cut; the rest was read, counted and dropped.
	Truncated bool
}

// Context is cancelled when the VU must stop: scenario code passes it to
// anything that can block.
func (vu *VU) Context() context.Context { return vu.soft }

// Jar is the VU's cookie jar.
func (vu *VU) Jar() *transport.Jar {
	if vu.jar == nil {
		vu.jar = &transport.Jar{}
	}
	return vu.jar
}

// keepCookies stores what h sets in the VU's jar. The jar is made on the
// first cookie: most users of a load test never get one, and ten
// thousand idle users would each hold an empty jar.
func (vu *VU) keepCookies(u *url.URL, h http.Header) {
	if vu.jar != nil || len(h["Set-Cookie"]) > 0 {
		vu.Jar().Store(u, h)
	}
}

// Do sends req, records it under endpoint and returns the response. With
// keepBody the body is read into Response.Body (for captures and checks);
// otherwise it is drained and only counted. The error is nil whenever a
// response arrived, whatever its status; otherwise it is a *RequestError,
// or ErrStopped if the VU was stopped before sending.
//
// Redirects are followed by net/http's rules, each hop a request of its
// own, recorded under endpoint with its status (see redirect.go); the
// response returned is the last hop's.
func (vu *VU) Do(endpoint int, req *http.Request, keepBody bool) (*Response, error) {
	return vu.follow(endpoint, req, keepBody, 0)
}

// DoOnce is Do without following redirects: a 3xx is the response. It
// is for callers that follow redirects by other rules (scripts follow
// them as Artillery does; see package flow), each hop a DoOnce of its
// own. It adds no cookies from the VU's jar to req: the caller adds
// them when it wants them (a script sends them by Artillery's rules). The
// cookies the response sets are kept in the jar, as by Do.
func (vu *VU) DoOnce(endpoint int, req *http.Request, keepBody bool) (*Response, error) {
	return vu.hop(endpoint, req, keepBody)
}

// follow sends req, which hops redirects led to, and the redirects that
// follow it.
func (vu *VU) follow(endpoint int, req *http.Request, keepBody bool, hops int) (*Response, error) {
	resp, p, err := vu.followHeld(endpoint, req, keepBody, hops)
	if p != nil {
		p.Record()
	}
	return resp, err
}

// followHeld is follow that leaves the last response unrecorded, in the
// Pending it returns with it; every hop before it is recorded.
func (vu *VU) followHeld(endpoint int, req *http.Request, keepBody bool, hops int) (*Response, *Pending, error) {
	for ; ; hops++ {
		resp, p, err := vu.roundTrip(endpoint, vu.withCookies(req), keepBody)
		if err != nil {
			return nil, nil, err
		}
		next, err := nextHop(req, resp.Status, resp.Header, hops)
		if err != nil || next == nil {
			return resp, p, err
		}
		p.Record()
		req = next
	}
}

// withCookies is req with the cookies of the VU's jar for its URL added,
// as net/http's client adds them: after any Cookie field req has. req
// itself is left as it is, so that the next hop of a redirect, built
// from it, gets the cookies of its own URL.
func (vu *VU) withCookies(req *http.Request) *http.Request {
	if !vu.jar.Active() {
		return req
	}
	c := vu.jar.Header(req.URL)
	if c == "" {
		return req
	}
	r := *req
	r.Header = req.Header.Clone()
	if r.Header == nil {
		r.Header = http.Header{}
	}
	if old := r.Header.Get("Cookie"); old != "" {
		c = old + "; " + c
	}
	r.Header.Set("Cookie", c)
	return &r
}

// hop sends one request, without following a redirect, and records it.
func (vu *VU) hop(endpoint int, req *http.Request, keepBody bool) (*Response, error) {
	resp, p, err := vu.roundTrip(endpoint, req, keepBody)
	if err != nil {
		return nil, err
	}
	p.Record()
	return resp, nil
}

// roundTrip sends one request, without following a redirect. A request
// that got no response is recorded and its error returned; a response is
// returned with its Pending, not yet recorded.
func (vu *VU) roundTrip(endpoint int, req *http.Request, keepBody bool) (*Response, *Pending, error) {
	intended, sent, err := vu.begin()
	if err != nil {
		return nil, nil, err
	}
	vu.run.rec.RequestStarted()
	resp, sample, err := vu.send(req, keepBody)
	vu.run.rec.RequestDone()
	vu.run.releaseConn(vu) // before a redirect's next hop takes one again
	p := &Pending{vu: vu, endpoint: endpoint, intended: intended, sent: sent, done: time.Now(), sample: sample}
	vu.next = p.done
	if err == nil {
		err = p.checkStatus()
	}
	if err != nil {
		return nil, nil, p.record(err)
	}
	return resp, p, nil
}

// begin waits for a connection slot and returns the request's intended
// start and its actual one. A VU with no intended time (a closed-model
// user starting another iteration) is ready now: its request was meant
// to start before the wait for a connection, which so counts in latency.
func (vu *VU) begin() (intended, sent time.Time, err error) {
	if vu.soft.Err() != nil || vu.run.budget.spent() {
		return intended, sent, ErrStopped
	}
	intended = vu.next
	if intended.IsZero() {
		intended = time.Now()
	}
	if err := vu.run.acquireConn(vu); err != nil {
		return intended, sent, ErrStopped
	}
	if !vu.run.budget.take() { // taken holding a connection: a taken token is sent
		vu.run.releaseConn(vu)
		return intended, sent, ErrStopped
	}
	sent = time.Now()
	if intended.After(sent) {
		intended = sent
	}
	return intended, sent, nil
}

// record times a finished request and records it under endpoint (see
// Pending.record).
func (vu *VU) record(endpoint int, intended, sent time.Time, sample *metrics.Sample, err error) error {
	p := &Pending{vu: vu, endpoint: endpoint, intended: intended, sent: sent, done: time.Now(), sample: *sample}
	vu.next = p.done
	if err == nil {
		err = p.checkStatus()
	}
	err = p.record(err)
	*sample = p.sample
	return err
}

// send performs the round trip under the request timeout and reads the
// body; the caller fills in timings.
func (vu *VU) send(req *http.Request, keepBody bool) (*Response, metrics.Sample, error) {
	r := vu.run
	ctx, cancel := context.WithTimeout(r.hard, r.test.timeout())
	defer cancel()
	hr, err := vu.client.Do(req.WithContext(ctx))
	if err != nil {
		var sample metrics.Sample
		sample.BytesSent, sample.BytesRecv = failedBytes(req, err)
		return failed(sample, err)
	}
	vu.keepCookies(req.URL, hr.Header)
	resp := &Response{Status: hr.StatusCode, Proto: hr.Proto, Header: hr.Header}
	n, err := readBody(hr.Body, hr.Header, hr.ContentLength, resp, keepBody, r.test.maxBody())
	hr.Body.Close() // before counting: the counts are final then
	var sample metrics.Sample
	sample.BytesSent, sample.BytesRecv = exchangedBytes(hr, n)
	if err != nil {
		return failed(sample, err)
	}
	sample.Status = hr.StatusCode
	return resp, sample, nil
}

func failed(s metrics.Sample, err error) (*Response, metrics.Sample, error) {
	s.Err = transport.Classify(err)
	return nil, s, &RequestError{Kind: s.Err, Err: err}
}

// Think pauses the VU for d. The next request's intended start is when the
// pause actually ends, so the timer's own lateness is not charged to the
// target. It returns ErrStopped if the VU is stopped meanwhile.
func (vu *VU) Think(d time.Duration) error {
	if d > 0 {
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-vu.soft.Done():
			t.Stop()
			return ErrStopped
		}
	}
	vu.next = time.Now()
	return nil
}

// Looping reports whether the VU is a closed-model user, which runs its
// scenario again and again until it is stopped; false for an open-model
// arrival, which runs it once.
func (vu *VU) Looping() bool { return vu.looping }

// OnStop has fn run once when the VU stops, after its last scenario run:
// a closed-model user's at the end of its phase, when a Control lowers
// the users, the test is stopped or interrupted, or it returned
// ErrStopUser; an arrival's when its run returns. Its requests are sent
// and counted although the VU was told to stop (not after a test's
// MaxRequests are spent, nor once the grace period of an interrupted test
// is over). An error or a panic of fn fails the VU, if nothing did
// before. A later call replaces fn; nil forgets it.
func (vu *VU) OnStop(fn func() error) { vu.onStop = fn }

// StopTest ends the whole test (the share of it this process runs) as
// the end of its plan would, from a scenario: no arrival or iteration
// starts after it, the requests in flight finish, and the VUs' OnStop
// functions run; the test is not Interrupted, and its Result names by
// as what stopped it (the first caller's, when several call it).
func (vu *VU) StopTest(by string) { vu.run.stopTest(by) }

// Count adds n to a named counter (see metrics.RegisterCounter) on behalf
// of this VU: expect results, failed captures, VUs per scenario name.
func (vu *VU) Count(c metrics.Counter, n int64) {
	vu.run.rec.Count(vu.ID, c, n)
}
