package flow

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/scenario"
)

// step is one compiled flow step.
type step interface {
	run(vu *engine.VU) error
}

type thinkStep time.Duration

func (d thinkStep) run(vu *engine.VU) error { return vu.Think(time.Duration(d)) }

// requestStep sends one request. Everything that does not change between
// requests is prepared once here.
type requestStep struct {
	method   string
	url      *url.URL
	header   http.Header
	body     []byte
	endpoint int
}

func (c *compiler) request(t *engine.Test, st scenario.Step) step {
	r := st.Request
	raw, ok := c.resolveURL(r.URL, st.Pos)
	if !ok {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		c.errorf(st.Pos, "url %q: %v", raw, err)
		return nil
	}
	rs := &requestStep{method: r.Method, url: u, header: http.Header{}, endpoint: t.Endpoint(r.Endpoint())}
	rs.header.Set("User-Agent", UserAgent)
	for _, h := range append(append([]scenario.Header{}, c.script.Config.Defaults.Headers...), r.Headers...) {
		rs.header.Set(h.Name, h.Value)
	}
	switch {
	case r.HasJSON:
		rs.body, err = json.Marshal(r.JSON)
		if err != nil {
			c.errorf(st.Pos, "json body: %v", err)
			return nil
		}
		if rs.header.Get("Content-Type") == "" {
			rs.header.Set("Content-Type", "application/json")
		}
	case r.HasBody:
		rs.body = []byte(r.Body)
	}
	return rs
}

func (rs *requestStep) run(vu *engine.VU) error {
	req := &http.Request{
		Method:     rs.method,
		URL:        rs.url,
		Header:     rs.header.Clone(), // the client adds cookies to it
		Host:       rs.url.Host,
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
	}
	if rs.body != nil {
		req.Body = io.NopCloser(bytes.NewReader(rs.body))
		req.ContentLength = int64(len(rs.body))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(rs.body)), nil }
	}
	_, err := vu.Do(rs.endpoint, req, false)
	return err
}
