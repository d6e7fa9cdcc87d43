package flow

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/scenario"
	"github.com/surge-dev/surge/schedule"
)

// A script split into shares sends what it sends in one run: the same
// scenarios, sequence rows, random rows, list elements and probability
// rolls for every arrival, because each follows the arrival's global
// index, not the order VUs happen to start in.
func TestSplitScriptSendsTheSingleRunsRequests(t *testing.T) {
	srv, got := recorder(t)
	s := splitScript(t)
	single := runSegments(t, s, srv.URL, got, schedule.Whole())
	split := runSegments(t, s, srv.URL, got, sharesOf(t, "0:1/6:1/2:1")...)
	if !maps.Equal(split, single) {
		t.Fatalf("the split run sent other requests:\nsingle %v\nsplit  %v", single, split)
	}
	rows := map[string]int{}
	kinds := map[string]int{}
	for path, n := range single {
		parts := strings.Split(path, "/")
		kinds[parts[1]] += n
		if parts[1] != "maybe" {
			rows[parts[2]] += n
		}
	}
	// Arrival n gets row n mod 7: rows r0 to r3 nine times, the others eight.
	want := map[string]int{"r0": 9, "r1": 9, "r2": 9, "r3": 9, "r4": 8, "r5": 8, "r6": 8}
	if !maps.Equal(rows, want) {
		t.Errorf("sequence rows over 60 arrivals: %v, want %v", rows, want)
	}
	if kinds["maybe"] == 0 || kinds["maybe"] == kinds["heavy"] {
		t.Errorf("a 50 %% step ran %d times in %d heavy runs", kinds["maybe"], kinds["heavy"])
	}
}

// splitScript is a script with all that a split must keep: two
// weighted scenarios, a sequence and a random payload, a list variable
// and a step with a probability.
func splitScript(t *testing.T) *scenario.Script {
	t.Helper()
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("seq.csv", "r0\nr1\nr2\nr3\nr4\nr5\nr6\n")
	write("rnd.csv", "x0\nx1\nx2\nx3\nx4\n")
	write("t.yml", `config:
  target: http://placeholder
  phases: [{duration: 0.3, arrivalCount: 60}]
  payload:
    - {path: seq.csv, fields: [row], order: sequence}
    - {path: rnd.csv, fields: [pick], order: random}
  variables:
    color: [red, green, blue, cyan]
scenarios:
  - name: light
    weight: 1
    flow:
      - get: {url: "/light/{{ row }}/{{ pick }}/{{ color }}"}
  - name: heavy
    weight: 3
    flow:
      - get: {url: "/heavy/{{ row }}/{{ pick }}/{{ color }}"}
      - get: {url: "/maybe/{{ row }}", probability: 50}
`)
	s, err := scenario.Load(filepath.Join(dir, "t.yml"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// runSegments runs the shares of s at once against url and counts the
// paths got recorded meanwhile.
func runSegments(t *testing.T, s *scenario.Script, url string, got func() []seen, segs ...*schedule.Segment) map[string]int {
	t.Helper()
	before := len(got())
	var wg sync.WaitGroup
	for _, seg := range segs {
		test, err := Compile(s, Options{Target: url})
		if err != nil {
			t.Fatal(err)
		}
		test.Segment, test.Seed = seg, 9
		wg.Go(func() {
			if _, err := engine.Run(context.Background(), *test); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	paths := map[string]int{}
	for _, r := range got()[before:] {
		paths[r.path]++
	}
	return paths
}

// sharesOf returns every share of the segment sequence written as text.
func sharesOf(t *testing.T, text string) []*schedule.Segment {
	t.Helper()
	seq, err := schedule.ParseSequence(text)
	if err != nil {
		t.Fatal(err)
	}
	var segs []*schedule.Segment
	for k := range seq.Shares() {
		seg, err := schedule.NewSegment(seq, k)
		if err != nil {
			t.Fatal(err)
		}
		segs = append(segs, seg)
	}
	return segs
}
