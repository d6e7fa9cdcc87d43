package difftest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// volatile headers are set by the HTTP library, not by the script.
var volatile = map[string]bool{"host": true, "connection": true, "content-length": true, "user-agent": true,
	"accept-encoding": true, "accept": true, "cookie": true, "transfer-encoding": true, "keep-alive": true, "te": true}

var (
	uuidRe   = regexp.MustCompile(`[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}`)
	servedRe = regexp.MustCompile(`(?:tok|sess|csrf|user)-\d+`)
	idRe     = regexp.MustCompile(`\b7\d{3}\b`)
	csrfRe   = regexp.MustCompile(`value="(csrf-\d+)"`)
)

// vuContext canonicalizes one VU's requests: values the recorder served
// become labels (checked to have been served to this VU), UUIDs become
// <uuid>, and masked random values become their placeholder.
type vuContext struct {
	vu     int64
	served map[string]string // value -> label
	masks  []mask
	flow   *DataFlow
	uuids  map[string]bool
	picked map[string]map[string]bool // mask group -> values seen
}

func newVUContext(vu int64, masks []mask, flow *DataFlow) *vuContext {
	return &vuContext{vu: vu, served: map[string]string{}, masks: masks, flow: flow,
		uuids: map[string]bool{}, picked: map[string]map[string]bool{}}
}

func (c *vuContext) picksConstant() bool {
	for _, vs := range c.picked {
		if len(vs) > 1 {
			return false
		}
	}
	return true
}

func (c *vuContext) label(v string) string {
	if l, ok := c.served[v]; ok {
		c.flow.Satisfied++
		return l
	}
	c.flow.Violated++
	return "<foreign>"
}

func (c *vuContext) text(s string) string {
	s = uuidRe.ReplaceAllStringFunc(s, func(u string) string { c.uuids[strings.ToLower(u)] = true; return "<uuid>" })
	s = servedRe.ReplaceAllStringFunc(s, c.label)
	s = idRe.ReplaceAllStringFunc(s, c.label)
	for _, m := range c.masks {
		if m.group != "" {
			for _, v := range m.re.FindAllString(s, -1) {
				if c.picked[m.group] == nil {
					c.picked[m.group] = map[string]bool{}
				}
				c.picked[m.group][v] = true
			}
		}
		s = m.re.ReplaceAllString(s, m.as)
	}
	return s
}

// value canonicalizes a decoded JSON value, keeping its types.
func (c *vuContext) value(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[c.text(k)] = c.value(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = c.value(e)
		}
		return out
	case json.Number:
		if n, err := x.Int64(); err == nil && n > UserIDBase && n < UserIDBase+1000 {
			return map[string]any{"$num": c.label(x.String())}
		}
		f, _ := x.Float64()
		return f
	case string:
		return c.text(x)
	}
	return v
}

func (c *vuContext) request(e Entry) CountedRequest {
	q, _ := url.ParseQuery(e.Query)
	query := map[string][]string{}
	for k, vs := range q {
		for _, v := range vs {
			query[c.text(k)] = append(query[c.text(k)], c.text(v))
		}
	}
	headers := map[string]string{}
	for k, v := range e.Headers {
		if !volatile[k] {
			headers[k] = c.text(v)
		}
	}
	if ct, ok := headers["content-type"]; ok && strings.HasPrefix(ct, "multipart/form-data") {
		headers["content-type"] = "multipart/form-data"
	}
	return CountedRequest{Method: e.Method, Path: c.text(e.Path), Query: query, Headers: headers,
		Cookies: c.cookies(e.Headers["cookie"]), Body: c.body(e.Headers["content-type"], e.Body)}
}

func (c *vuContext) cookies(header string) []string {
	out := []string{}
	for _, part := range strings.Split(header, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, val, _ := strings.Cut(part, "=")
		if name == "svu" {
			who := "<other>"
			if val == strconv.FormatInt(c.vu, 10) {
				who = "<self>"
			}
			out = append(out, "svu="+who)
			continue
		}
		out = append(out, c.text(name)+"="+c.text(val))
	}
	sort.Strings(out)
	return out
}

// body canonicalizes a request body by its content type: JSON as values,
// forms as sorted maps, multipart as its parts, anything else as text.
func (c *vuContext) body(ctype, body string) any {
	if body == "" {
		return nil
	}
	mt, params, _ := mime.ParseMediaType(ctype)
	switch {
	case mt == "application/json" || strings.HasSuffix(mt, "+json"):
		dec := json.NewDecoder(strings.NewReader(body))
		dec.UseNumber()
		var v any
		if dec.Decode(&v) != nil {
			return map[string]any{"json_invalid": c.text(body)}
		}
		return map[string]any{"json": c.value(v)}
	case mt == "application/x-www-form-urlencoded":
		f, _ := url.ParseQuery(body)
		out := map[string]any{}
		for k, vs := range f {
			for i := range vs {
				vs[i] = c.text(vs[i])
			}
			sort.Strings(vs)
			out[c.text(k)] = vs
		}
		return map[string]any{"form": out}
	case mt == "multipart/form-data":
		return map[string]any{"multipart": c.parts(body, params["boundary"])}
	}
	return map[string]any{"raw": c.text(body)}
}

func (c *vuContext) parts(body, boundary string) []string {
	r := multipart.NewReader(strings.NewReader(body), boundary)
	var out []string
	for {
		p, err := r.NextPart()
		if err != nil {
			break
		}
		var data bytes.Buffer
		io.Copy(&data, p)
		out = append(out, fmt.Sprintf("%s|%s|%s|%s", p.FormName(), p.FileName(), p.Header.Get("Content-Type"), c.text(data.String())))
	}
	sort.Strings(out)
	return out
}

// learn records the values a response served to this VU.
func (c *vuContext) learn(e Entry) {
	ep := strings.Trim(e.Path, "/")
	if i := strings.IndexByte(ep, '/'); i >= 0 {
		ep = ep[:i]
	}
	if v, ok := e.Resp.Headers["x-session"]; ok {
		c.served[v] = "<" + ep + ".hdr.x-session>"
	}
	if s, ok := e.Resp.Body.(string); ok {
		for _, m := range csrfRe.FindAllStringSubmatch(s, -1) {
			c.served[m[1]] = "<" + ep + ".csrf>"
		}
		return
	}
	c.walk(e.Resp.Body, "<"+ep)
}

func (c *vuContext) walk(v any, path string) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			c.walk(e, path+"."+k)
		}
	case []any:
		for i, e := range x {
			c.walk(e, fmt.Sprintf("%s[%d]", path, i))
		}
	case string:
		if servedRe.MatchString(x) {
			c.served[x] = path + ">"
		}
	case int64:
		if x > UserIDBase && x < UserIDBase+1000 {
			c.served[strconv.FormatInt(x, 10)] = path + ">"
		}
	}
}
