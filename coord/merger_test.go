package coord

import (
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/results"
)

// second is one share's interval t holding latencies (µs), one request
// each: every third on the share's second endpoint, the others on its
// first.
func second(t *testing.T, index int, latencies []int64, endpoints int) results.Interval {
	t.Helper()
	s := metrics.NewStats("")
	counts := make([]metrics.Count, endpoints)
	for i, us := range latencies {
		s.Requests++
		s.Codes[200]++
		s.Latency.RecordValue(us)
		s.Service.RecordValue(us / 2)
		s.LatencyOK.RecordValue(us) // none fails
		s.ServiceOK.RecordValue(us / 2)
		counts[min(i%3/2, endpoints-1)].Requests++
	}
	iv, err := results.IntervalOf(metrics.Interval{Index: index, Start: time.Unix(int64(index), 0), Duration: time.Second,
		Stats: s, Endpoints: counts, ActiveVUs: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return iv
}

func TestMergerMergesEachSecondOnceInOrder(t *testing.T) {
	m := NewMerger([]string{"s0", "s1", "s2"}, [][]string{{"a", "b"}, {"a", "b"}, {"b", "a"}}, -1)
	r := rand.New(rand.NewPCG(1, 2))
	lat := func() []int64 {
		out := make([]int64, 5+r.IntN(20))
		for i := range out {
			out[i] = 100 + r.Int64N(50000)
		}
		return out
	}
	var got []int
	add := func(s, idx int, last bool) {
		merged, err := m.Add(s, second(t, idx, lat(), 2), last)
		if err != nil {
			t.Fatal(err)
		}
		for _, iv := range merged {
			got = append(got, iv.Index)
		}
	}
	add(0, 0, false)
	add(1, 0, false)
	add(0, 1, false)
	if len(got) != 0 {
		t.Fatalf("merged %v before share 2 sent second 0", got)
	}
	add(2, 0, false)
	add(2, 1, true)  // share 2 ends after second 1
	add(1, 2, false) // share 1 has no second 1: second 1 is complete without it
	if !reflect.DeepEqual(got, []int{0, 1}) {
		t.Fatalf("merged %v, want 0 then 1", got)
	}
	add(0, 2, true)
	if m.Done() {
		t.Fatal("done while share 1 runs")
	}
	if _, err := m.End(1); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, []int{0, 1, 2}) || !m.Done() {
		t.Fatalf("merged %v, done %v", got, m.Done())
	}
	if _, err := m.Add(0, second(t, 3, lat(), 2), false); err == nil {
		t.Fatal("a second after the share's last was taken")
	}
}

func TestMergerRefusesSecondsOutOfOrder(t *testing.T) {
	m := NewMerger([]string{"s0", "s1"}, [][]string{{"a"}, {"a"}}, -1)
	if _, err := m.Add(0, second(t, 3, []int64{10}, 1), false); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Add(0, second(t, 2, []int64{10}, 1), false); err == nil {
		t.Fatal("second 2 after second 3 was taken")
	}
}

// The live merge of a second is the merge surge merge makes of the same
// files: the same code, the same figures.
func TestMergerAgreesWithResultsMerge(t *testing.T) {
	names := [][]string{{"a", "b"}, {"b", "a"}}
	m := NewMerger([]string{"s0", "s1"}, names, -1)
	var live []results.Interval
	docs := make([]*results.Results, 2)
	r := rand.New(rand.NewPCG(3, 4))
	for s := range 2 {
		docs[s] = &results.Results{Endpoints: []results.Endpoint{{Name: names[s][0]}, {Name: names[s][1]}},
			Plan: &results.Plan{SHA256: "h", Sequence: "0:1/2:1", Segment: []string{"0:1/2", "1/2:1"}[s]}}
	}
	for idx := range 4 {
		for s := range 2 {
			var lat []int64
			for range 30 {
				lat = append(lat, 50+r.Int64N(900000))
			}
			iv := second(t, idx, lat, 2)
			docs[s].Intervals = append(docs[s].Intervals, iv)
			merged, err := m.Add(s, iv, idx == 3)
			if err != nil {
				t.Fatal(err)
			}
			live = append(live, merged...)
		}
	}
	inputs := []results.Input{{Source: "s0", Results: docs[0]}, {Source: "s1", Results: docs[1]}}
	merged, err := results.Merge(inputs)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(live, merged.Intervals) {
		t.Fatalf("live merge:\n%+v\nsurge merge:\n%+v", live, merged.Intervals)
	}
}
