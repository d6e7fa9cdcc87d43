package monitor

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// TestMonitorTellsTheFirstFailureAndTheRecovery: before, a failing scrape
// printed nothing at all.
func TestMonitorTellsTheFirstFailureAndTheRecovery(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) <= 3 {
			http.Error(w, "warming up", http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("up 1\n"))
	}))
	defer srv.Close()
	m, err := New(Config{URL: strings.Replace(srv.URL, "://", "://u:pw@", 1)})
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		m.scrapeOnce(context.Background())
	}
	notices := m.Notices()
	if len(notices) != 2 || !strings.Contains(notices[0], "answered 503 Service Unavailable") ||
		!strings.Contains(notices[1], "works again, after 3 failed scrapes") {
		t.Fatalf("notices %q", notices)
	}
	if strings.Contains(strings.Join(notices, ""), "pw") || !strings.Contains(notices[0], "u:xxxxx@") {
		t.Fatalf("the password shows: %q", notices)
	}
	if errs, _ := m.Errors(); errs != 3 || m.Latest()["up"] != 1 || len(m.Notices()) != 0 {
		t.Fatalf("errors %d, latest %v", errs, m.Latest())
	}
}

// TestMonitorBoundsItsSeries: a target with thousands of series keeps the
// first DefaultMaxSeries by name, and says how many were cut.
func TestMonitorBoundsItsSeries(t *testing.T) {
	var b strings.Builder
	for i := range 2500 {
		fmt.Fprintf(&b, "requests_total{user=\"%05d\"} %d\n", i, i)
	}
	b.WriteString("broken NaN\nworse +Inf\n")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(b.String()))
	}))
	defer srv.Close()
	m, _ := New(Config{URL: srv.URL})
	m.scrapeOnce(context.Background())
	m.scrapeOnce(context.Background())
	got := m.Latest()
	if len(got) != DefaultMaxSeries || got[`requests_total{user="00999"}`] != 999 {
		t.Fatalf("kept %d series", len(got))
	}
	notices := m.Notices()
	if len(notices) != 2 || !strings.Contains(notices[0], "exposes 2502 series; keeping the first 1000 by name and cutting 1500") ||
		!strings.Contains(notices[1], "2 series are NaN or infinite and are not recorded") {
		t.Fatalf("notices %q (want them once)", notices)
	}
}

// TestMonitorBoundsWhatItReads: an endless answer is cut at MaxBytes and
// the scrape fails, saying so.
func TestMonitorBoundsWhatItReads(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(strings.Repeat("x 1\n", 10000)))
	}))
	defer srv.Close()
	m, _ := New(Config{URL: srv.URL, MaxBytes: 1024})
	if _, err := m.Scrape(context.Background()); err == nil || !strings.Contains(err.Error(), "answered more than 1024 bytes") {
		t.Fatalf("got %v", err)
	}
	if _, err := New(Config{URL: "ftp://x/metrics"}); err == nil {
		t.Fatal("an ftp URL was accepted")
	}
}
