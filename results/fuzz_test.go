package results

import (
	"bytes"
	"encoding/json"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/surge-dev/surge/metrics"
)

// fuzzSeeds are a results file and streams of a short run of two
// endpoints: complete, cut short, and with a reset of the statistics;
// and the file as a Surge that did not record latency_ok nor service_ok
// wrote it.
func fuzzSeeds(tb testing.TB) [][]byte {
	t0 := time.Unix(1700000000, 0)
	rec := metrics.NewRecorder([]string{"GET /", "POST /x"}, 1, t0)
	b := Builder{Test: Test{Name: "fuzz", Target: "http://127.0.0.1"}, Version: "v-test"}
	for sec := 1; sec <= 3; sec++ {
		for i := range 20 {
			s := metrics.Sample{Endpoint: i % 2, Latency: time.Duration(i*sec+1) * 137 * time.Microsecond, Service: time.Millisecond, Status: 200}
			if i%7 == 0 {
				s.Status, s.Err, s.Failed = 0, metrics.ErrTimeout, true
			}
			span := rec.VUStarted(uint64(i))
			rec.Record(uint64(i), &s)
			rec.VUFinished(uint64(i), span, "", "")
		}
		b.Add(rec.Flush(t0.Add(time.Duration(sec)*time.Second), sec == 3))
	}
	r, err := b.Results()
	if err != nil {
		tb.Fatal(err)
	}
	file, err := json.MarshalIndent(r, "", " ")
	if err != nil {
		tb.Fatal(err)
	}
	stream := func(complete bool, resetAt int) []byte {
		var buf bytes.Buffer
		sw, err := NewStreamWriter(&buf, StreamHeader{Version: r.Version, Test: Test{Name: r.Test.Name,
			Target: r.Test.Target, Started: r.Test.Started}, Plan: r.Plan, Endpoints: []string{"GET /", "POST /x"}})
		if err != nil {
			tb.Fatal(err)
		}
		for i, iv := range r.Intervals {
			if i == resetAt {
				err = sw.IntervalAfterReset(iv, iv.Start)
			} else {
				err = sw.Interval(iv)
			}
			if err != nil {
				tb.Fatal(err)
			}
		}
		if complete {
			if err := sw.End(r); err != nil {
				tb.Fatal(err)
			}
		}
		return buf.Bytes()
	}
	return [][]byte{append(file, '\n'), stream(true, -1), stream(false, -1), stream(false, 1), stream(true, 2), oldFile(tb, file)}
}

// oldFile is file as a Surge that did not record the latency nor the
// service time of the requests that did not fail wrote it.
func oldFile(tb testing.TB, file []byte) []byte {
	var r Results
	if err := json.Unmarshal(file, &r); err != nil {
		tb.Fatal(err)
	}
	withoutLatencyOK(&r)
	withoutServiceOK(&r)
	old, err := json.MarshalIndent(&r, "", " ")
	if err != nil {
		tb.Fatal(err)
	}
	return append(old, '\n')
}

// FuzzDecode: no bytes make the reader of results files and streams
// (ReadFile, which surge report, compare, merge and plan use) panic or
// allocate far more than they hold; an error names the file; a document
// it accepts encodes as JSON (no NaN or infinity) that reads back as a
// document encoded the same.
func FuzzDecode(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
		f.Add(s[:len(s)/2])
		f.Add(bytes.ReplaceAll(s, []byte(`"t":1`), []byte(`"t":5`)))
	}
	f.Add([]byte(`{"schema":"surge.results/v1"}`))
	f.Add([]byte(`{"schema":"surge.stream/v2"}` + "\n"))
	f.Add([]byte(`{"schema":"surge.stream/v1","endpoints":["a","b"]}` + "\n" +
		`{"interval":{"t":0,"start":"2023-11-14T22:13:20Z","duration_s":1e300,"requests":9223372036854775807}}` + "\n"))
	f.Add([]byte(`{"schema":"surge.stream/v1"}` + "\n" + `{"interval":{"t":0},"reset_at":"2300-01-01T00:00:00Z"}` + "\n"))
	f.Add([]byte(`{"schema":"surge.stream/v1","endpoints":["a"]}` + "\n" +
		`{"interval":{"t":0,"start":"2023-11-14T22:13:20Z","duration_s":1,"generator":{"cores":1,"arrivals":10,"send_lag_p99_ms":1e308,"cpu_pct":1e308}}}` + "\n" +
		`{"interval":{"t":1,"start":"2023-11-14T22:13:21Z","duration_s":1e308,"generator":{"cores":1,"arrivals":10,"send_lag_p99_ms":1e308,"cpu_pct":1e308}}}` + "\n" +
		`{"interval":{"t":2,"start":"2023-11-14T22:13:22Z","duration_s":1e308,"generator":{"cores":1,"arrivals":10,"send_lag_p99_ms":1e308}}}` + "\n"))
	f.Add([]byte("\n\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		r, err := decode("fuzz.json", data)
		runtime.ReadMemStats(&after)
		if grew := after.TotalAlloc - before.TotalAlloc; grew > 64<<20+uint64(len(data))*256 {
			t.Fatalf("%d bytes took %d bytes to read", len(data), grew)
		}
		if err != nil {
			if r != nil || !strings.Contains(err.Error(), "fuzz.json") {
				t.Fatalf("%v with the error %v", r, err)
			}
			return
		}
		enc, err := json.MarshalIndent(r, "", " ")
		if err != nil {
			t.Fatalf("accepted a document that does not encode: %v", err)
		}
		again, err := decode("again.json", enc)
		if err != nil {
			t.Fatalf("the document accepted, encoded, does not read back: %v\n%s", err, enc)
		}
		enc2, err := json.MarshalIndent(again, "", " ")
		if err != nil || !bytes.Equal(enc, enc2) {
			t.Fatalf("the document accepted reads back different: %v\n%s\n----\n%s", err, enc, enc2)
		}
	})
}
