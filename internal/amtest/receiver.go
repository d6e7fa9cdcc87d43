package amtest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// Documented is the webhook payload as Alertmanager's documentation
// (configuration, webhook_config) writes it.
type Documented struct {
	Version           string            `json:"version"`
	GroupKey          string            `json:"groupKey"`
	TruncatedAlerts   int               `json:"truncatedAlerts"`
	Status            string            `json:"status"`
	Receiver          string            `json:"receiver"`
	GroupLabels       map[string]string `json:"groupLabels"`
	CommonLabels      map[string]string `json:"commonLabels"`
	CommonAnnotations map[string]string `json:"commonAnnotations"`
	ExternalURL       string            `json:"externalURL"`
	Alerts            []struct {
		Status       string            `json:"status"`
		Labels       map[string]string `json:"labels"`
		Annotations  map[string]string `json:"annotations"`
		StartsAt     string            `json:"startsAt"`
		EndsAt       string            `json:"endsAt"`
		GeneratorURL string            `json:"generatorURL"`
		Fingerprint  string            `json:"fingerprint"`
	} `json:"alerts"`
}

// Receiver is a loopback webhook receiver that keeps what it gets,
// refusing (as an error it keeps) any field the documentation lacks.
type Receiver struct {
	URL  string
	mu   sync.Mutex
	got  []Documented
	errs []error
}

// NewReceiver starts a receiver; it stops when the test ends.
func NewReceiver(t *testing.T) *Receiver {
	t.Helper()
	r := &Receiver{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		dec := json.NewDecoder(req.Body)
		dec.DisallowUnknownFields()
		var m Documented
		err := dec.Decode(&m)
		if req.Method != http.MethodPost || req.Header.Get("Content-Type") != "application/json" {
			err = fmt.Errorf("unexpected %s with Content-Type %q", req.Method, req.Header.Get("Content-Type"))
		}
		r.mu.Lock()
		r.got = append(r.got, m)
		if err != nil {
			r.errs = append(r.errs, err)
		}
		r.mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	r.URL = srv.URL
	return r
}

// Messages returns what the receiver got, and what it could not read.
func (r *Receiver) Messages() ([]Documented, []error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Documented(nil), r.got...), append([]error(nil), r.errs...)
}

// WaitFor polls the receiver until a message with status arrives; logs
// (Alertmanager's output, or nil) go into the failure.
func WaitFor(t *testing.T, ctx context.Context, rcv *Receiver, status string, logs fmt.Stringer) Documented {
	t.Helper()
	for {
		got, errs := rcv.Messages()
		if len(errs) > 0 {
			t.Fatalf("the receiver could not read the payload: %v", errs)
		}
		for _, m := range got {
			if m.Status == status {
				return m
			}
		}
		select {
		case <-ctx.Done():
			t.Fatalf("no %s notification: %v; got %+v\n%v", status, ctx.Err(), got, logs)
		case <-time.After(50 * time.Millisecond):
		}
	}
}
