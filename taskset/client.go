package taskset

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/surge-dev/surge/engine"
)

// UserAgent is sent with every request.
const UserAgent = "Surge (taskset)"

// Client sends a user's requests. Each user has its own Client, its own
// connection and cookie jar; it is used by one goroutine at a time.
type Client struct {
	// Vars is free for the user's own state (a token from OnStart, say).
	Vars map[string]any

	vu       *engine.VU
	kind     *kind
	endpoint int
	startErr error
}

// Get sends a GET to target+path.
func (c *Client) Get(path string) (*engine.Response, error) {
	return c.Do(http.MethodGet, path, nil, nil)
}

// PostJSON sends v as a JSON body.
func (c *Client) PostJSON(path string, v any) (*engine.Response, error) {
	body, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return c.Do(http.MethodPost, path, body, http.Header{"Content-Type": {"application/json"}})
}

// Do sends a request to target+path with an optional body and headers.
// The response body is kept. The error is nil whenever a response
// arrived, whatever its status: check Response.Status, or use Expect.
func (c *Client) Do(method, path string, body []byte, header http.Header) (*engine.Response, error) {
	u, err := url.Parse(c.kind.target + path)
	if err != nil {
		return nil, err
	}
	req := &http.Request{Method: method, URL: u, Host: u.Host, Header: http.Header{},
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1}
	for k, vs := range header {
		req.Header[k] = vs
	}
	req.Header.Set("User-Agent", UserAgent)
	if body != nil {
		req.Body = io.NopCloser(bytes.NewReader(body))
		req.ContentLength = int64(len(body))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	}
	return c.vu.Do(c.endpoint, req, true)
}

// Check turns a response with a 4xx or 5xx status into an error, so that
// the task (and the user) fails, as Locust's catch_response lets a task
// decide. Wrap a request with it: Check(c.Get("/x")).
func Check(resp *engine.Response, err error) (*engine.Response, error) {
	if err != nil {
		return nil, err
	}
	if resp.Status >= 400 {
		return resp, fmt.Errorf("status %d", resp.Status)
	}
	return resp, nil
}

// DecodeJSON reads a JSON response body into v.
func DecodeJSON(resp *engine.Response, v any) error {
	return json.Unmarshal(resp.Body, v)
}
