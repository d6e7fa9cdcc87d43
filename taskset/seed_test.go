package taskset

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/schedule"
)

// picker runs one of four tasks of equal weight, each a GET of its own
// path, so the server's count per path is the count of each pick.
func picker() User {
	u := User{Name: "picker"}
	for i := range 4 {
		path := fmt.Sprintf("/t%d", i)
		u.Tasks = append(u.Tasks, Task{Name: path, Run: func(c *Client) error { return c.Get(path).Err() }})
	}
	return u
}

// picks runs 600 arrivals of picker, or the share segment ("" for the
// whole test) of them, with seed, and returns the requests per path.
func picks(t *testing.T, seed uint64, segments ...string) map[string]int {
	t.Helper()
	var mu sync.Mutex
	n := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		n[r.URL.Path]++
		mu.Unlock()
	}))
	defer srv.Close()
	var wg sync.WaitGroup
	for _, s := range segments {
		test, err := Test(srv.URL, []schedule.Phase{{Kind: schedule.Count, ArrivalCount: 600, Duration: 300 * time.Millisecond}}, picker())
		if err != nil {
			t.Fatal(err)
		}
		test.Seed = seed
		if s != "" {
			if test.Segment, err = schedule.ParseSegment(s, ""); err != nil {
				t.Fatal(err)
			}
		}
		wg.Go(func() {
			if _, err := engine.Run(context.Background(), *test); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	return n
}

// Which task a user runs is drawn from the run's own random source
// (VU.Rand: the test's seed and the run's global identity), as a
// script's scenario choice is: so a single run with a seed is
// reproducible, and the shares of a split test pick, arrival by arrival,
// the tasks the single run picks, and their merged counts per task are
// the single run's. Drawn from the process's random source, they were
// not (four counts of 600 picks agreeing by chance: about 1 in 30,000).
func TestTaskPicksFollowTheSeedAcrossShares(t *testing.T) {
	single := picks(t, 7, "")
	if again := picks(t, 7, ""); !maps.Equal(single, again) {
		t.Errorf("two single runs with seed 7 picked %v and %v: want the same tasks", single, again)
	}
	if split := picks(t, 7, "0/3", "1/3", "2/3"); !maps.Equal(single, split) {
		t.Errorf("the single run picked %v, its three shares %v: want the same tasks", single, split)
	}
	total := 0
	for _, c := range single {
		total += c
	}
	if total != 600 || len(single) != 4 {
		t.Errorf("picks %v: want 600 over the four tasks", single)
	}
}
