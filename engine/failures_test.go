package engine

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/schedule"
)

// statusServer answers every fifth request with 500, and the ninth of every
// ten with the out-of-range status 999, over raw TCP (net/http refuses to
// send such a code).
func statusServer(t *testing.T) (url string, served *atomic.Int64) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	served = &atomic.Int64{}
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go serveStatuses(c, served)
		}
	}()
	return "http://" + l.Addr().String() + "/", served
}

func serveStatuses(c net.Conn, served *atomic.Int64) {
	defer c.Close()
	buf := make([]byte, 4096)
	for {
		n, err := c.Read(buf)
		if err != nil || !strings.Contains(string(buf[:n]), "\r\n\r\n") {
			return
		}
		i := served.Add(1)
		code := "200 OK"
		switch {
		case i%10 == 9:
			code = "999 Strange"
		case i%5 == 0:
			code = "500 Internal Server Error"
		}
		c.Write([]byte("HTTP/1.1 " + code + "\r\nContent-Length: 2\r\n\r\nok"))
	}
}

func TestFailuresAreErrorsPlusUnexpectedStatuses(t *testing.T) {
	url, served := statusServer(t)
	res, err := Run(context.Background(), Test{
		Phases:    []schedule.Phase{{Kind: schedule.Count, ArrivalCount: 100, Duration: 500 * time.Millisecond}},
		Scenarios: []Scenario{getScenario(url)},
		Conns:     Shared, Connections: 1,
	})
	if err != nil {
		t.Fatal(err)
	}
	tot := res.Final.Total
	if served.Load() != 100 || tot.Requests != 100 {
		t.Fatalf("served %d, recorded %d, want 100 each", served.Load(), tot.Requests)
	}
	// The 10 answers of 999 are protocol errors, never codes; the 20
	// answers of 500 are failures but not errors.
	var codes int64
	for _, n := range tot.Codes {
		codes += n
	}
	if tot.Errors != 10 || tot.Kinds["EPROTO"] != 10 || codes+tot.Errors != tot.Requests {
		t.Fatalf("errors %d kinds %v codes %v: requests must equal codes plus errors", tot.Errors, tot.Kinds, tot.Codes)
	}
	if tot.Codes[500] != 20 || tot.Failures != 30 {
		t.Fatalf("500s %d failures %d, want 20 and 30", tot.Codes[500], tot.Failures)
	}
	f := res.Final.Failures
	if len(f) != 1 || f[0].Reason != "EPROTO" || f[0].Count != 10 || !strings.Contains(f[0].First, "999") {
		t.Fatalf("VU failures %+v, want 10 under EPROTO naming the status", f)
	}
}

func TestExpectedStatusesAreConfigurable(t *testing.T) {
	url, _ := statusServer(t)
	expect, err := metrics.ParseStatusSet("2xx,500")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), Test{
		Phases:    []schedule.Phase{{Kind: schedule.Count, ArrivalCount: 50, Duration: 250 * time.Millisecond}},
		Scenarios: []Scenario{getScenario(url)},
		Conns:     Shared, Connections: 1, Expect: &expect,
	})
	if err != nil {
		t.Fatal(err)
	}
	if tot := res.Final.Total; tot.Failures != tot.Errors || tot.Errors != 5 {
		t.Fatalf("with 500 expected, failures %d must equal errors %d (5)", tot.Failures, tot.Errors)
	}
}

type reasoned struct{}

func (reasoned) Error() string         { return "capture $.id found nothing" }
func (reasoned) FailureReason() string { return "Failed capture or match" }

func TestFailedVUsAreCountedByReason(t *testing.T) {
	calls := atomic.Int64{}
	res, err := Run(context.Background(), Test{
		Phases: []schedule.Phase{{Kind: schedule.Count, ArrivalCount: 6, Duration: 100 * time.Millisecond}},
		Scenarios: []Scenario{{Name: "s", Run: func(ctx context.Context, vu *VU) error {
			switch calls.Add(1) % 3 {
			case 0:
				return reasoned{}
			case 1:
				return errors.New("something odd")
			}
			return nil
		}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	for _, f := range res.Final.Failures {
		got[f.Reason] = f.Count
	}
	if got["Failed capture or match"] != 2 || got["EOTHER"] != 2 || res.Final.VUs.Failed != 4 {
		t.Fatalf("failures by reason %v, VUs %+v", got, res.Final.VUs)
	}
}
