package flow

import (
	"bytes"
	"fmt"
	"math"
	"mime/multipart"
	"net/textproto"
	"path/filepath"
	"strings"

	"github.com/surge-dev/surge/scenario"
	"github.com/surge-dev/surge/templating"
)

// bodyBuilder renders a request body; ctype is the content-type it
// implies ("" for none). data is nil for no body.
type bodyBuilder interface {
	build(st *state) (ctype string, data []byte)
}

// body picks the body kind: json wins over body, as in Artillery; form
// and formData are separate options there, applied after.
func (p *Program) body(r *scenario.Request, headers []headerTmpl, pos scenario.Pos) bodyBuilder {
	switch {
	case r.HasJSON:
		v := p.compileValue(r.JSON, r.At["json"])
		if v.IsStatic() {
			return staticBody{ctype: "application/json", data: templating.AppendJSON(nil, r.JSON)}
		}
		return jsonBody{v}
	case r.HasForm:
		return formBody(p.fieldList(r.Form, r.At["form"]))
	case len(r.FormData) > 0:
		p.checkUploads(r.FormData, r.At["formData"])
		return p.multipartBody(r.FormData, r.At["formData"])
	case r.HasBody:
		return rawBody{p.compile(r.Body, r.At["body"])}
	}
	return nil
}

type staticBody struct {
	ctype string
	data  []byte
}

func (b staticBody) build(*state) (string, []byte) { return b.ctype, b.data }

type jsonBody struct{ v templating.Value }

func (b jsonBody) build(st *state) (string, []byte) {
	data, ok := b.v.AppendJSON(nil, st)
	if !ok {
		return "", nil
	}
	return "application/json", data
}

// rawBody is sent as is, without a content-type.
type rawBody struct{ t *templating.Template }

func (b rawBody) build(st *state) (string, []byte) {
	v := b.t.Render(st)
	if templating.IsUndefined(v) {
		return "", nil
	}
	return "", templating.AppendStringify(nil, v)
}

// fieldTmpl is one form, formData or qs entry.
type fieldTmpl struct {
	name  string
	value templating.Value
}

func (p *Program) fieldList(fs []scenario.Field, pos scenario.Pos) []fieldTmpl {
	out := make([]fieldTmpl, 0, len(fs))
	for _, f := range fs {
		out = append(out, fieldTmpl{name: f.Name, value: p.compileValue(f.Value, pos)})
	}
	return out
}

// formBody is urlencoded as got encodes a form: each value through
// String(), so undefined is sent as "undefined".
type formBody []fieldTmpl

func (b formBody) build(st *state) (string, []byte) {
	var buf []byte
	for i, f := range b {
		if i > 0 {
			buf = append(buf, '&')
		}
		buf = appendFormEncoded(buf, f.name)
		buf = append(buf, '=')
		buf = appendFormEncoded(buf, templating.JSString(f.value.Render(st)))
	}
	return "application/x-www-form-urlencoded", buf
}

// renderQuery builds a qs query as Artillery does: Node's querystring
// turns the values into text (lists repeat the key; objects, null and
// undefined give ""), then got re-encodes it as a form would.
func renderQuery(qs []fieldTmpl, st *state) string {
	var buf []byte
	add := func(k, v string) {
		if len(buf) > 0 {
			buf = append(buf, '&')
		}
		buf = appendFormEncoded(buf, k)
		buf = append(buf, '=')
		buf = appendFormEncoded(buf, v)
	}
	for _, f := range qs {
		v := f.value.Render(st)
		if l, ok := v.([]any); ok {
			for _, e := range l {
				add(f.name, queryText(e))
			}
			continue
		}
		add(f.name, queryText(v))
	}
	return string(buf)
}

// queryText is Node's querystring conversion of one value.
func queryText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case bool:
		return fmt.Sprint(x)
	}
	if f, ok := templating.Number(v); ok && !math.IsInf(f, 0) && !math.IsNaN(f) {
		return templating.FormatNumber(f)
	}
	return ""
}

// appendFormEncoded encodes s as application/x-www-form-urlencoded:
// letters, digits and *-._ stay, a space becomes +, the rest is %XX.
func appendFormEncoded(dst []byte, s string) []byte {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '*', c == '-', c == '.', c == '_':
			dst = append(dst, c)
		case c == ' ':
			dst = append(dst, '+')
		default:
			dst = append(dst, '%', hex[c>>4], hex[c&15])
		}
	}
	return dst
}

// multipartBody is a formData body. A value may be {fromFile: path,
// contentType} (the path relative to the script) or {value: x}.
type multipartBody struct {
	fields []fieldTmpl
	dir    string
}

func (p *Program) multipartBody(fs []scenario.Field, pos scenario.Pos) bodyBuilder {
	return multipartBody{fields: p.fieldList(fs, pos), dir: p.script.Dir}
}

func (b multipartBody) build(st *state) (string, []byte) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, f := range b.fields {
		if err := b.part(w, f.name, f.value.Render(st)); err != nil {
			st.prog.report.printf("formData %s: %v", f.name, err)
		}
	}
	w.Close()
	return w.FormDataContentType(), buf.Bytes()
}

func (b multipartBody) part(w *multipart.Writer, name string, v any) error {
	m, ok := v.(map[string]any)
	if !ok {
		return w.WriteField(name, templating.JSString(v))
	}
	file, _ := m["fromFile"].(string)
	ctype, _ := m["contentType"].(string)
	if file == "" {
		pw, err := w.CreatePart(partHeader(name, "", ctype))
		if err == nil {
			_, err = pw.Write([]byte(templating.JSString(m["value"])))
		}
		return err
	}
	data, err := readUpload(uploadPath(b.dir, file))
	if err != nil {
		return err
	}
	if ctype == "" {
		ctype = contentTypeOf(file)
	}
	pw, err := w.CreatePart(partHeader(name, filepath.Base(file), ctype))
	if err == nil {
		_, err = pw.Write(data)
	}
	return err
}

func partHeader(name, filename, ctype string) textproto.MIMEHeader {
	h := textproto.MIMEHeader{}
	disp := fmt.Sprintf(`form-data; name="%s"`, escapeQuotes(name))
	if filename != "" {
		disp += fmt.Sprintf(`; filename="%s"`, escapeQuotes(filename))
	}
	h.Set("Content-Disposition", disp)
	if ctype != "" {
		h.Set("Content-Type", ctype)
	}
	return h
}

func escapeQuotes(s string) string { return strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) }

// contentTypeOf is a file part's content type, from its extension (see
// fileTypes).
func contentTypeOf(file string) string {
	if t, ok := fileTypes[strings.ToLower(filepath.Ext(file))]; ok {
		return t
	}
	return "application/octet-stream"
}
