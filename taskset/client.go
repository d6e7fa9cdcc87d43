package taskset

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/surge-dev/surge/engine"
)

// UserAgent is sent with every request.
const UserAgent = "Surge (taskset)"

// Client sends a user's requests. Each user has its own Client, its own
// connection and cookie jar; it is used by one goroutine at a time.
//
// Every request is counted under the name of the task that sends it (as
// Locust's name= would name it), once the task has judged it: when the
// task calls Failure or Success on the response, else when the client
// sends its next request or the task returns.
type Client struct {
	// Vars is free for the user's own state (an id from OnStart, say).
	Vars map[string]any
	// Header is sent with every request of this user (a token OnStart
	// got, say); a request's own headers win.
	Header http.Header

	vu       *engine.VU
	kind     *kind
	endpoint int    // where requests are counted now: the task's
	name     string // and its name
	startErr error
	held     *Response // the last response, until it is counted
}

// StopTest ends the whole test once this task returns, as Locust's
// environment.runner.quit(): no user starts another task, each runs its
// OnStop, requests in flight finish, and the results are written as for
// a test that ran to its end (not interrupted: exit 0 unless a check
// failed), naming the task that stopped it. In a test split across
// processes it ends this process's share.
func (c *Client) StopTest() { c.vu.StopTest("task " + strconv.Quote(c.name)) }

// Get sends a GET to the user's host + path.
func (c *Client) Get(path string) *Response { return c.Do(http.MethodGet, path, nil, nil) }

// Delete sends a DELETE.
func (c *Client) Delete(path string) *Response { return c.Do(http.MethodDelete, path, nil, nil) }

// PostJSON sends v as a JSON body in a POST.
func (c *Client) PostJSON(path string, v any) *Response { return c.JSON(http.MethodPost, path, v) }

// PutJSON sends v as a JSON body in a PUT.
func (c *Client) PutJSON(path string, v any) *Response { return c.JSON(http.MethodPut, path, v) }

// PatchJSON sends v as a JSON body in a PATCH.
func (c *Client) PatchJSON(path string, v any) *Response { return c.JSON(http.MethodPatch, path, v) }

// JSON sends v as a JSON body with any method. A v that cannot be
// encoded sends nothing: the response's Err says why.
func (c *Client) JSON(method, path string, v any) *Response {
	body, err := json.Marshal(v)
	if err != nil {
		return &Response{err: err}
	}
	return c.Do(method, path, body, http.Header{"Content-Type": {"application/json"}})
}

// Do sends a request to the user's host + path with an optional body
// and headers, and keeps the response body.
func (c *Client) Do(method, path string, body []byte, header http.Header) *Response {
	c.settle()
	req, err := c.request(method, path, body, header)
	if err != nil {
		return &Response{err: err}
	}
	resp, pending, err := c.vu.DoPending(c.endpoint, req, true)
	if err != nil {
		return &Response{err: err}
	}
	r := &Response{Status: resp.Status, Header: resp.Header, Body: resp.Body,
		name: c.name, pending: pending, client: c}
	c.held = r
	return r
}

func (c *Client) request(method, path string, body []byte, header http.Header) (*http.Request, error) {
	u, err := url.Parse(c.kind.target + path)
	if err != nil {
		return nil, err
	}
	req := &http.Request{Method: method, URL: u, Host: u.Host, Header: c.Header.Clone(),
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1}
	if req.Header == nil {
		req.Header = http.Header{}
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	req.Header.Set("User-Agent", UserAgent)
	if body != nil {
		req.Body = io.NopCloser(bytes.NewReader(body))
		req.ContentLength = int64(len(body))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	}
	return req, nil
}

// call runs a task's (or OnStart's) code and counts the response it
// left held, also when the code panicked: the panic is the task's error
// (an *engine.PanicError, which fails the user as an error does), and
// the request it sent is counted, so the counts still agree with the
// server's.
func (c *Client) call(fn func(*Client) error) (err error) {
	defer c.settle()
	defer engine.Recover(&err)
	return fn(c)
}

// settle counts the held response as the engine judges it, if the task
// did not judge it.
func (c *Client) settle() {
	if c.held != nil {
		c.held.pending.Record()
		c.held = nil
	}
}
