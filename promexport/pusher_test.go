package promexport

import (
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/klauspost/compress/snappy"
	dto "github.com/prometheus/client_model/go"
	"google.golang.org/protobuf/encoding/protowire"
)

// received is one push as the receiver decoded it: each series (name and
// labels rendered) with its sample.
type received map[string]sample

type sample struct {
	v  float64
	ts int64
}

// receiver decodes pushes: snappy, then prometheus.WriteRequest read
// field by field from the protocol's .proto (typed by hand here, not
// from the encoder's code). block, if not nil, holds the first push
// until it is closed.
type receiver struct {
	mu     sync.Mutex
	pushes []received
	block  chan struct{}
	once   sync.Once
}

func (rv *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if rv.block != nil {
		first := false
		rv.once.Do(func() { first = true })
		if first {
			<-rv.block
		}
	}
	if r.Header.Get("Content-Encoding") != "snappy" || r.Header.Get("X-Prometheus-Remote-Write-Version") != "0.1.0" {
		http.Error(w, "not remote write 1.0", http.StatusBadRequest)
		return
	}
	body, _ := io.ReadAll(r.Body)
	raw, err := snappy.Decode(nil, body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	push := received{}
	eachField(raw, func(num protowire.Number, b []byte) {
		if num == 1 { // WriteRequest.timeseries
			name, s := decodeSeries(b)
			push[name] = s
		}
	})
	rv.mu.Lock()
	rv.pushes = append(rv.pushes, push)
	rv.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (rv *receiver) all() []received {
	rv.mu.Lock()
	defer rv.mu.Unlock()
	return append([]received(nil), rv.pushes...)
}

// eachField calls fn with each length-delimited field of a message, and
// with the raw bytes of fixed64 and varint fields re-encoded.
func eachField(b []byte, fn func(protowire.Number, []byte)) {
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		b = b[n:]
		switch typ {
		case protowire.BytesType:
			v, m := protowire.ConsumeBytes(b)
			fn(num, v)
			b = b[m:]
		case protowire.Fixed64Type:
			v, m := protowire.ConsumeFixed64(b)
			fn(num, protowire.AppendFixed64(nil, v))
			b = b[m:]
		case protowire.VarintType:
			v, m := protowire.ConsumeVarint(b)
			fn(num, protowire.AppendVarint(nil, v))
			b = b[m:]
		default:
			return
		}
	}
}

// decodeSeries reads TimeSeries{labels=1 (Label{name=1, value=2}),
// samples=2 (Sample{value=1 double, timestamp=2 int64})}.
func decodeSeries(b []byte) (string, sample) {
	var labels []label
	var s sample
	eachField(b, func(num protowire.Number, f []byte) {
		switch num {
		case 1:
			var l label
			eachField(f, func(n protowire.Number, v []byte) {
				if n == 1 {
					l.name = string(v)
				} else {
					l.value = string(v)
				}
			})
			labels = append(labels, l)
		case 2:
			eachField(f, func(n protowire.Number, v []byte) {
				if n == 1 {
					bits, _ := protowire.ConsumeFixed64(v)
					s.v = math.Float64frombits(bits)
				} else {
					ts, _ := protowire.ConsumeVarint(v)
					s.ts = int64(ts)
				}
			})
		}
	})
	var name string
	var rest []label
	for _, l := range labels {
		if l.name == "__name__" {
			name = l.value
		} else {
			rest = append(rest, l)
		}
	}
	return render(name, rest), s
}

// TestPushSendsTheSameSeriesAsTheScrape: a push holds every series a
// scrape shows, at the snapshot's time, with the extra labels.
func TestPushSendsTheSameSeriesAsTheScrape(t *testing.T) {
	rv := &receiver{}
	srv := httptest.NewServer(rv)
	defer srv.Close()
	e := NewExporter(Test{Name: "t"})
	snap := snapshot(t)
	snap.Interval.Generator = busy
	e.Update(&snap)
	p, err := NewPusher(srv.URL+"/api/v1/write", e.Registry(), map[string]string{"job": "j"})
	if err != nil {
		t.Fatal(err)
	}
	at := time.UnixMilli(1700000002000)
	p.Push(at)
	p.Close(nil)
	if err := p.Err(); err != nil {
		t.Fatal(err)
	}
	pushes := rv.all()
	if len(pushes) != 1 {
		t.Fatalf("%d pushes, want 1", len(pushes))
	}
	fams, err := e.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]*dto.MetricFamily{}
	for _, f := range fams {
		byName[f.GetName()] = f
	}
	scraped := flatten(byName, label{"job", "j"})
	for series, v := range scraped {
		got, ok := pushes[0][series]
		if !ok || got.v != v || got.ts != at.UnixMilli() {
			t.Errorf("%s: pushed %+v (present %v), scraped %v at %d", series, got, ok, v, at.UnixMilli())
		}
	}
	if len(pushes[0]) != len(scraped) || len(scraped) < 40 {
		t.Errorf("%d series pushed, %d scraped", len(pushes[0]), len(scraped))
	}
	if got := pushes[0][`surge_generator_send_lag_p99_seconds{job="j"}`]; got.v != 0.012 {
		t.Errorf("the generator's send lag pushed as %+v, want 0.012 s", got)
	}
}

// TestCloseSendsWhatIsPending: values asked for while a push is still
// under way (a slow receiver) are sent when it is done, and Close waits
// for them: the final values always arrive. Repeated, since without the
// final push in Close the loop may still pick the pending one by chance.
func TestCloseSendsWhatIsPending(t *testing.T) {
	for range 10 {
		rv := &receiver{block: make(chan struct{})}
		srv := httptest.NewServer(rv)
		e := NewExporter(Test{})
		snap := snapshot(t)
		e.Update(&snap)
		p, err := NewPusher(srv.URL, e.Registry(), nil)
		if err != nil {
			t.Fatal(err)
		}
		p.Push(time.UnixMilli(1000))
		time.Sleep(20 * time.Millisecond) // the first push is under way, held by the receiver
		p.Push(time.UnixMilli(2000))
		p.Push(time.UnixMilli(3000)) // replaces 2000: one push of the newest values
		closed := make(chan struct{})
		go func() { p.Close(nil); close(closed) }()
		close(rv.block)
		<-closed
		srv.Close()
		pushes := rv.all()
		last := pushes[len(pushes)-1][`surge_vus_created_total`]
		if len(pushes) != 2 || last.ts != 3000 || last.v != 200 {
			t.Fatalf("%d pushes, the last at %d with %v VUs: want 2, the last at 3000 with 200", len(pushes), last.ts, last.v)
		}
	}
}

// TestFailedPushesAreSaidOnceAndCounted: a receiver that refuses is said
// once while it goes on refusing, its recovery is said, and the end
// counts the failures.
func TestFailedPushesAreSaidOnceAndCounted(t *testing.T) {
	var refuse sync.Mutex
	refusing := true
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		refuse.Lock()
		defer refuse.Unlock()
		if refusing {
			http.Error(w, "no", http.StatusBadRequest) // 4xx: not retried
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	e := NewExporter(Test{})
	p, err := NewPusher(srv.URL, e.Registry(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var notices []string
	push := func(ms int64) {
		p.Push(time.UnixMilli(ms))
		deadline := time.Now().Add(10 * time.Second)
		for p.pushed() < int(ms) && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		notices = append(notices, p.Notices()...)
	}
	push(1)
	push(2)
	refuse.Lock()
	refusing = false
	refuse.Unlock()
	push(3)
	p.Close(nil)
	if len(notices) != 2 || notices[1] != "remote write: pushing again" {
		t.Fatalf("notices %q: want the first failure and the recovery", notices)
	}
	// The receiver's body ends in a newline (http.Error's): a notice
	// is one line all the same.
	if !strings.HasSuffix(notices[0], "400 Bad Request: no (later failures are counted at the end)") {
		t.Errorf("first notice %q: want the body on the same line", notices[0])
	}
	err = p.Err()
	if err == nil || !strings.HasPrefix(err.Error(), "remote write: 2 of 3 pushes failed") ||
		!strings.Contains(err.Error(), "400") || strings.Contains(err.Error(), "\n") ||
		!strings.HasSuffix(err.Error(), "the final values were pushed") {
		t.Fatalf("Err() = %q: want one line that counts the failures and says the final push went through", err)
	}
}

// pushed is how many pushes were made.
func (p *Pusher) pushed() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.report.pushes
}

// A test's final snapshot can follow its last second's within the same
// millisecond. Prometheus refuses a second sample of a series at a
// timestamp it holds, so the pusher stamps the later push a millisecond
// after the one before: every push's timestamp is after the last's, and
// the final values arrive.
func TestPushesAreStampedInOrder(t *testing.T) {
	rv := &receiver{}
	srv := httptest.NewServer(rv)
	defer srv.Close()
	e := NewExporter(Test{})
	snap := snapshot(t)
	e.Update(&snap)
	p, err := NewPusher(srv.URL, e.Registry(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, at := range []int64{5000, 5000, 4000} { // the same millisecond, then one before it
		before := len(rv.all())
		p.Push(time.UnixMilli(at))
		waitPushes(t, p, rv, before+1)
	}
	p.Close(nil)
	if err := p.Err(); err != nil {
		t.Fatal(err)
	}
	var stamps []int64
	for _, push := range rv.all() {
		stamps = append(stamps, push[`surge_vus_created_total`].ts)
	}
	if len(stamps) != 3 || stamps[0] != 5000 || stamps[1] != 5001 || stamps[2] != 5002 {
		t.Fatalf("pushes stamped %v, want [5000 5001 5002]", stamps)
	}
}

// waitPushes waits until the receiver holds n pushes and the pusher has
// counted them.
func waitPushes(t *testing.T, p *Pusher, rv *receiver, n int) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		if len(rv.all()) >= n && p.pushed() >= n {
			return
		}
	}
	t.Fatalf("%d pushes arrived within 5 s, want %d", len(rv.all()), n)
}
