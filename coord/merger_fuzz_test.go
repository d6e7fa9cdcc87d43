package coord

import (
	"encoding/json"
	"testing"

	"github.com/surge-dev/surge/results"
)

// FuzzMergerTick merges a second a worker sent as arbitrary JSON with a
// well-formed second of another share: a damaged or hostile tick is an
// error or merges exactly, never a panic.
func FuzzMergerTick(f *testing.F) {
	good, err := json.Marshal(second(&testing.T{}, 0, []int64{120, 340, 5600}, 2))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add([]byte(`{"t":0,"requests":5,"codes":{"200":5},"endpoints":[{"requests":5}]}`))
	f.Add([]byte(`{"t":0,"requests":-1,"hist":{"latency":"HISTFAAAAB"}}`))
	f.Add([]byte(`{"t":0,"endpoints":[{},{},{},{}]}`))
	f.Fuzz(func(t *testing.T, tick []byte) {
		var iv results.Interval
		if json.Unmarshal(tick, &iv) != nil {
			return
		}
		iv.Index = 0
		own := second(t, 0, []int64{100, 200, 300}, 2)
		m := NewMerger([]string{"own", "worker"}, [][]string{{"a", "b"}, {"b", "a"}}, -1)
		if _, err := m.Add(0, own, true); err != nil {
			t.Fatal(err)
		}
		merged, err := m.Add(1, iv, true)
		if err != nil {
			return
		}
		if len(merged) != 1 || merged[0].Requests != own.Requests+iv.Requests {
			t.Fatalf("merged %d seconds; requests %v, want %d + %d", len(merged), merged, own.Requests, iv.Requests)
		}
	})
}
