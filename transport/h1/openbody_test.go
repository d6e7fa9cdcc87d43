package h1

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"testing"
	"time"
)

// TestOpenBodyAgreesWithOpen sends each request through Open and through
// OpenBody: status, body and byte counts are equal; OpenBody's header map
// is nil or Open's, and present wherever the client acts on a field or
// the body is encoded; Length is the length of the body read, or -1 for
// a body without a declared length.
func TestOpenBodyAgreesWithOpen(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("/", diffHandler())
	mux.HandleFunc("/encoded", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "identity")
		w.Write([]byte("as is"))
	})
	srv := newCountServer(t, mux)
	full, bare := newTransport(t, nil), newTransport(t, nil)
	var p Prepared
	var into Body
	for _, path := range []string{"/length", "/chunked", "/trailers", "/big", "/headers", "/redirect",
		"/status/204", "/status/500", "/encoded", "/close"} {
		for _, method := range []string{"GET", "HEAD"} {
			u, _ := url.Parse(srv.URL + path)
			req := &http.Request{Method: method, URL: u, Host: u.Host, Header: http.Header{}}
			want := openCounted(t, full, &p, &into, req, "")
			got, length := openBodyCounted(t, bare, &p, &into, req)
			needed := want.Header["Set-Cookie"] != nil || want.Header["Content-Encoding"] != nil ||
				want.Status/100 == 3 && want.Header["Location"] != nil
			wantLength := int64(len(want.Body))
			if want.Header["Content-Length"] == nil && method == "GET" && want.Status != 204 {
				wantLength = -1
			}
			if needed && got.Header == nil || !needed && got.Header != nil || length != wantLength {
				t.Errorf("%s %s: header %v (needed %v), length %d (want %d)", method, path, got.Header, needed, length, wantLength)
			}
			if got.Header == nil {
				got.Header = want.Header
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s %s:\nOpenBody: %.300v\nOpen:     %.300v", method, path, got, want)
			}
		}
	}
}

// openBodyCounted is openCounted through OpenBody; it returns the body's
// Length too.
func openBodyCounted(t *testing.T, tr *Transport, p *Prepared, into *Body, req *http.Request) (opened, int64) {
	t.Helper()
	if err := p.Reset(req, nil); err != nil {
		t.Fatal(err)
	}
	r, err := tr.OpenBody(context.Background(), p, time.Time{}, 5*time.Second, into)
	if err != nil {
		t.Fatalf("OpenBody %s %s: %v", req.Method, req.URL, err)
	}
	length := into.Length()
	b, err := io.ReadAll(into)
	into.Close()
	if err != nil {
		t.Fatal(err)
	}
	sent, recv := into.WireBytes()
	r.Header.Del("Date")
	return opened{r.Status, r.Header, string(b), sent, recv}, length
}
