package dashboard

import (
	"strconv"
	"testing"
	"time"

	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/results"
)

// BenchmarkPublish50Endpoints measures what one second of a 50-endpoint
// test costs the snapshot consumer: adding the interval, building and
// sending the frame.
//
//	go test -run '^$' -bench Publish ./dashboard/
func BenchmarkPublish50Endpoints(b *testing.B) {
	s := New(Config{}, &recordingController{})
	t0 := time.Unix(1700000000, 0)
	var names []string
	for i := range 50 {
		names = append(names, "GET /"+strconv.Itoa(i))
	}
	rec := metrics.NewRecorder(names, 2, t0)
	s.BeginRun(results.Test{Name: "t"})
	for i := 0; b.Loop(); i++ {
		for j := range 500 {
			rec.Record(uint64(j), &metrics.Sample{Endpoint: j % 50, Latency: time.Duration(j+1) * 100 * time.Microsecond, Status: 200})
		}
		s.Publish(rec.Flush(t0.Add(time.Duration(i+1)*time.Second), false), nil)
	}
}

// BenchmarkPublishAfterTwoHours measures one second's publish once the
// test has run for two hours: each frame still reads the run's
// intervals, so this is what grows with a long soak.
//
//	go test -run '^$' -bench PublishAfterTwoHours -benchtime 300x ./dashboard/
func BenchmarkPublishAfterTwoHours(b *testing.B) {
	s := New(Config{}, &recordingController{})
	t0 := time.Unix(1700000000, 0)
	rec := metrics.NewRecorder([]string{"GET /a", "GET /b"}, 2, t0)
	s.BeginRun(results.Test{Name: "t"})
	sec := 0
	publish := func() {
		for j := range 200 {
			rec.Record(uint64(j), &metrics.Sample{Endpoint: j % 2, Latency: time.Duration(j+1) * 100 * time.Microsecond, Status: 200})
		}
		sec++
		s.Publish(rec.Flush(t0.Add(time.Duration(sec)*time.Second), false), nil)
	}
	for range 7200 {
		publish()
	}
	for b.Loop() {
		publish()
	}
}
