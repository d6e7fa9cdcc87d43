package capture

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
)

// Response is the part of an HTTP response that captures and expectations
// read. Build one per response (after redirects, the final one) and share it
// between the request's captures and checks: the body is decoded as JSON at
// most once. A Response is not safe for concurrent use.
type Response struct {
	Status int
	Header http.Header
	Body   []byte

	decoded bool
	doc     any
	docErr  error
}

// NewResponse returns a Response over the given parts.
func NewResponse(status int, header http.Header, body []byte) *Response {
	return &Response{Status: status, Header: header, Body: body}
}

// JSON decodes the body once, the way JSON.parse would see it: numbers are
// float64 (one beyond its range is ±Inf, as JSON.parse makes it Infinity,
// where json.Unmarshal refuses the whole document), objects
// map[string]any, arrays []any. Later calls return the same value and
// error; callers must not modify the value.
func (r *Response) JSON() (any, error) {
	if !r.decoded {
		r.decoded = true
		r.doc, r.docErr = decodeJSON(r.Body)
	}
	return r.doc, r.docErr
}

// decodeJSON is json.Unmarshal into an any with JSON.parse's numbers.
// Unmarshal refuses only a number out of range with a type error: then
// the document is decoded again keeping the numbers' text.
func decodeJSON(body []byte) (any, error) {
	var doc any
	err := json.Unmarshal(body, &doc)
	var typeErr *json.UnmarshalTypeError
	if !errors.As(err, &typeErr) {
		return doc, err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	doc = nil
	if err := dec.Decode(&doc); err != nil {
		return nil, err
	}
	return numbersToFloats(doc), nil
}

// numbersToFloats replaces every json.Number in v by its float64, ±Inf
// beyond the range, in place.
func numbersToFloats(v any) any {
	switch x := v.(type) {
	case json.Number:
		return jsNumber(string(x))
	case map[string]any:
		for k, e := range x {
			x[k] = numbersToFloats(e)
		}
	case []any:
		for i, e := range x {
			x[i] = numbersToFloats(e)
		}
	}
	return v
}

// jsNumber is JSON.parse's value of a valid JSON number: the nearest
// float64, ±Inf past the largest (strconv says so with ErrRange and
// gives the infinity), 0 below the smallest.
func jsNumber(s string) float64 {
	f, _ := strconv.ParseFloat(s, 64)
	return f
}

// dropDuplicates are the headers Node.js keeps only the first value of.
var dropDuplicates = map[string]bool{
	"age": true, "authorization": true, "content-length": true, "content-type": true,
	"etag": true, "expires": true, "from": true, "host": true, "if-modified-since": true,
	"if-unmodified-since": true, "last-modified": true, "location": true,
	"max-forwards": true, "proxy-authorization": true, "referer": true,
	"retry-after": true, "server": true, "user-agent": true,
}

// HeaderValue returns a response header the way Node.js presents it to
// Artillery: repeated headers are joined with ", " (with "; " for cookie),
// set-cookie is a list of strings, and for headers such as content-type
// only the first value counts. Names match case-insensitively (Artillery
// itself needs them lowercase).
func (r *Response) HeaderValue(name string) (any, bool) {
	vals := r.headerValues(name)
	if len(vals) == 0 {
		return nil, false
	}
	lower := strings.ToLower(name)
	switch {
	case lower == "set-cookie":
		list := make([]any, len(vals))
		for i, v := range vals {
			list[i] = v
		}
		return list, true
	case dropDuplicates[lower] || len(vals) == 1:
		return vals[0], true
	case lower == "cookie":
		return strings.Join(vals, "; "), true
	}
	return strings.Join(vals, ", "), true
}

func (r *Response) headerValues(name string) []string {
	if vals := r.Header[textproto.CanonicalMIMEHeaderKey(name)]; len(vals) > 0 {
		return vals
	}
	for k, vals := range r.Header {
		if strings.EqualFold(k, name) {
			return vals
		}
	}
	return nil
}

// ContentType is the first Content-Type header value, and whether there is
// one.
func (r *Response) ContentType() (string, bool) {
	v, ok := r.HeaderValue("content-type")
	s, _ := v.(string)
	return s, ok
}
