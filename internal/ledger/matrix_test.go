package ledger_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"maps"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/internal/ledger"
	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/schedule"
)

// requests is how many requests (request ids) each cell sends: fewer for
// behaviours that need a gap between requests, to keep the matrix short.
func requests(b ledger.Behaviour) int64 {
	if b.Spacing > 0 {
		return 12
	}
	return 24
}

type path string

const (
	lean    path = "lean"    // prepared requests: engine.Prepare and VU.Send
	general path = "general" // http.Request through VU.Do
)

type model string

const (
	open   model = "open"   // one arrival per request, on a schedule
	closed model = "closed" // looping users
)

// TestLedgerMatrix runs every behaviour of the ledger server through both
// request paths in both load models, and holds Surge's counts against the
// server's ledger: requests, responses by status, errors by kind, bytes
// received; and no request arrives twice unless Surge counted both
// sends. The same requests sent with net/http give the same counts.
func TestLedgerMatrix(t *testing.T) {
	for _, b := range ledger.All() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			var cells []counts
			for _, p := range []path{lean, general} {
				for _, m := range []model{open, closed} {
					t.Run(string(p)+"-"+string(m), func(t *testing.T) {
						cells = append(cells, surgeCell(t, b, p, m))
					})
				}
			}
			t.Run("net-http", func(t *testing.T) {
				std := netHTTPCell(t, b)
				for i, c := range cells {
					if !c.equal(std) {
						t.Errorf("cell %d: Surge counted %v, net/http %v", i, c, std)
					}
				}
			})
		})
	}
}

// counts is what a client reported, or what a ledger says it should
// have: requests (hops) by status and errors by kind.
type counts struct {
	requests int64
	codes    map[int]int64
	kinds    map[string]int64
}

func (c counts) equal(o counts) bool {
	return c.requests == o.requests && maps.Equal(c.codes, o.codes) && maps.Equal(c.kinds, o.kinds)
}

func (c counts) String() string {
	return fmt.Sprintf("requests %d codes %v errors %v", c.requests, c.codes, c.kinds)
}

// fromLedger is what a careful client should report for entries.
func fromLedger(entries []ledger.Entry) (counts, int64) {
	c := counts{codes: map[int]int64{}, kinds: map[string]int64{}}
	var bytesOut int64
	for _, e := range entries {
		c.requests++
		bytesOut += e.Bytes
		if e.Outcome.Fault != "" {
			c.kinds[e.Outcome.Fault]++
		} else {
			c.codes[e.Outcome.Status]++
		}
	}
	return c, bytesOut
}

func fromSnapshot(s metrics.Snapshot) counts {
	return counts{requests: s.Total.Requests, codes: maps.Clone(s.Total.Codes), kinds: maps.Clone(s.Total.Kinds)}
}

func startServer(t *testing.T, b ledger.Behaviour) *ledger.Server {
	t.Helper()
	srv, err := ledger.Start(b)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

// surgeCell runs one cell and checks it against the ledger; it returns
// Surge's counts for the differential.
func surgeCell(t *testing.T, b ledger.Behaviour, p path, m model) counts {
	srv := startServer(t, b)
	snap := runSurge(t, b, srv.URL, p, m)
	srv.Close()
	entries := srv.Entries()
	want, wantBytes := fromLedger(entries)
	got := fromSnapshot(snap)
	if !got.equal(want) {
		t.Errorf("Surge counted %v; the server's ledger says %v", got, want)
	} else {
		t.Logf("Surge and the server's ledger agree: %v, %d bytes received", got, snap.Total.BytesRecv)
	}
	checkIDs(t, b, entries)
	if exactBytes(b, entries) && snap.Total.BytesRecv != wantBytes {
		t.Errorf("bytes received %d; the server wrote %d", snap.Total.BytesRecv, wantBytes)
	}
	return got
}

// checkIDs asserts that every request id reached the server exactly once,
// but for the hops of a redirect, each of which Surge counts as a request.
func checkIDs(t *testing.T, b ledger.Behaviour, entries []ledger.Entry) {
	t.Helper()
	seen := map[string]int{}
	for _, e := range entries {
		seen[e.ID]++
	}
	if n := requests(b); int64(len(seen)) != n {
		t.Errorf("the server saw %d distinct request ids, want %d", len(seen), n)
	}
	for id, n := range seen {
		if n > 1 && !b.Redirects {
			t.Errorf("request %s arrived %d times", id, n)
		}
	}
}

// exactBytes says whether every byte the server wrote for a request is
// part of a response a client reads whole: then bytes received must match
// to the byte.
func exactBytes(b ledger.Behaviour, entries []ledger.Entry) bool {
	if b.Stray { // its extra bytes are no response's
		return false
	}
	for _, e := range entries {
		if e.Outcome.Fault != "" {
			return false
		}
	}
	return true
}

func runSurge(t *testing.T, b ledger.Behaviour, base string, p path, m model) metrics.Snapshot {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	test := engine.Test{
		Scenarios: []engine.Scenario{scenario(b, base, p, m, cancel)},
		Conns:     engine.Shared,
		Timeout:   b.Timeout,
	}
	if test.Timeout == 0 {
		test.Timeout = 2 * time.Second
	}
	gap := max(b.Spacing, 5*time.Millisecond)
	if m == open {
		test.Phases = []schedule.Phase{{Kind: schedule.Count, ArrivalCount: requests(b), Duration: time.Duration(requests(b)) * gap}}
	} else {
		test.Phases = []schedule.Phase{{Kind: schedule.Users, Users: users(b), Duration: time.Minute}}
	}
	res, err := engine.Run(ctx, test)
	if err != nil {
		t.Fatal(err)
	}
	return res.Final
}

// users is how many requests a client sends at a time: three, or one for
// behaviours that act on idle connections.
func users(b ledger.Behaviour) int64 {
	if b.Spacing > 0 {
		return 1
	}
	return 3
}

// scenario sends one request per iteration, each with a new id. In the
// closed model the users stop once every id has had its answer; users
// with no id left wait for that.
func scenario(b ledger.Behaviour, base string, p path, m model, stop func()) engine.Scenario {
	var ids, done atomic.Int64
	method := b.Method
	if method == "" {
		method = http.MethodGet
	}
	return engine.Scenario{Name: b.Name, Run: func(ctx context.Context, vu *engine.VU) error {
		id := ids.Add(1)
		if id > requests(b) {
			return vu.Think(time.Hour) // returns as soon as the stop reaches the user
		}
		err := send(vu, p, method, base+"/r", id)
		if done.Add(1) == requests(b) {
			stop()
		}
		if m == closed && b.Spacing > 0 {
			vu.Think(b.Spacing)
		}
		return err
	}}
}

func send(vu *engine.VU, p path, method, target string, id int64) error {
	var body []byte
	if method == http.MethodPost {
		body = []byte(`{"item":1}`)
	}
	if p == lean {
		u, err := url.Parse(target)
		if err != nil {
			return err
		}
		h := http.Header{ledger.IDHeader: {strconv.FormatInt(id, 10)}, "User-Agent": {"ledger-test"}}
		return vu.Send(0, engine.Prepare(method, u, h, body))
	}
	req, err := http.NewRequest(method, target, bytes.NewReader(body))
	if err != nil {
		return err
	}
	if body == nil {
		req.Body, req.GetBody, req.ContentLength = http.NoBody, nil, 0
	}
	req.Header.Set(ledger.IDHeader, strconv.FormatInt(id, 10))
	req.Header.Set("User-Agent", "ledger-test")
	_, err = vu.Do(0, req, false)
	return err
}

// TestMain quiets net/http's log line about the extra bytes of
// long-body, which is the behaviour under test, not a failure.
func TestMain(m *testing.M) {
	log.SetOutput(io.Discard)
	os.Exit(m.Run())
}
