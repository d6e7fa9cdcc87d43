package main

import (
	"math"
	"testing"
	"time"
)

// The parsers read the text summaries of the peers; these samples are
// trimmed from real outputs of wrk 4.1.0, ab 2.4 and hey 0.1.5.

const wrkSample = `Running 10s test @ http://127.0.0.1:35079/
  1 threads and 64 connections
  703011 requests in 10.02s, 100.57MB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 5
Requests/sec:  70182.11
`

func TestWrkSummary(t *testing.T) {
	if m := reWrkReqs.FindStringSubmatch(wrkSample); m == nil || m[1] != "703011" {
		t.Fatalf("requests: %v", m)
	}
	if m := reWrkRPS.FindStringSubmatch(wrkSample); m == nil || atof(m[1]) != 70182.11 {
		t.Fatalf("rps: %v", m)
	}
	if m := reWrkSock.FindStringSubmatch(wrkSample); m == nil || m[2] != "2" || m[4] != "3" {
		t.Fatalf("socket errors: %v", m)
	}
	if m := reWrkNon2xx.FindStringSubmatch(wrkSample); m == nil || m[1] != "5" {
		t.Fatalf("non-2xx: %v", m)
	}
}

func TestABSummary(t *testing.T) {
	out := "Complete requests:      771236\nFailed requests:        0\nRequests per second:    77123.45 [#/sec] (mean)\n"
	if m := reABComplete.FindStringSubmatch(out); m == nil || m[1] != "771236" {
		t.Fatalf("complete: %v", m)
	}
	if m := reABRPS.FindStringSubmatch(out); m == nil || atof(m[1]) != 77123.45 {
		t.Fatalf("rps: %v", m)
	}
}

func TestHeySummaryAndCSV(t *testing.T) {
	out := "Summary:\n  Requests/sec:\t22276.9365\n\nStatus code distribution:\n  [200]\t223036 responses\n  [503]\t4 responses\n"
	if m := reHeyRPS.FindStringSubmatch(out); m == nil || atof(m[1]) != 22276.9365 {
		t.Fatalf("rps: %v", m)
	}
	if codes := reHeyCode.FindAllStringSubmatch(out, -1); len(codes) != 2 || codes[1][1] != "503" {
		t.Fatalf("codes: %v", codes)
	}
	csv := "response-time,DNS+dialup,DNS,Request-write,Response-delay,Response-read,status-code,offset\n" +
		"0.0020,0.0001,0,0,0.0019,0,200,0.01\n0.0040,0,0,0,0.004,0,500,0.02\n"
	lat, errs, n, err := heyCSV(csv)
	if err != nil || n != 2 || errs != 1 || lat[0] != 2 || lat[1] != 4 {
		t.Fatalf("csv: %v %d %d %v", lat, errs, n, err)
	}
}

func TestTruthOfTheStallingServer(t *testing.T) {
	c := &Config{CStallEvery: 10 * time.Second, CStallFor: time.Second}
	for q, want := range map[float64]float64{.5: 0, .9: 0, .99: 900, .999: 990} {
		if got := c.truth(q); math.Abs(got-want) > 1e-9 {
			t.Errorf("truth(%v) = %v, want %v", q, got, want)
		}
	}
}

func TestMedianAndNumberFormat(t *testing.T) {
	r := &Row{Runs: []Run{{"x": 3}, {"x": 1}, {"x": 2}}}
	s, ok := r.Get("x")
	if !ok || s.Med != 2 || s.Min != 1 || s.Max != 3 {
		t.Fatalf("stat %+v", s)
	}
	if got := num(1234567.891, 1); got != "1,234,567.9" {
		t.Fatalf("num: %s", got)
	}
	if got := num(-0.04, 1); got != "0.0" {
		t.Fatalf("num of a rounded negative zero: %s", got)
	}
}
