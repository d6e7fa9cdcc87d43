package difftest

import (
	"encoding/json"
	"regexp"
	"sort"
	"strings"
	"time"
)

// Summary is what must be identical between Artillery and Surge for one
// script: everything deterministic about the traffic the recorder saw,
// the report counters, the ensure lines and the exit code.
type Summary struct {
	ExitCode      int              `json:"exit_code"`
	TotalRequests int              `json:"total_requests"`
	VUCount       int              `json:"vu_count"`
	PerEndpoint   map[string]int   `json:"per_endpoint"`
	VUSequences   map[string]int   `json:"vu_sequences"`
	Requests      []CountedRequest `json:"requests"`
	DataFlow      DataFlow         `json:"data_flow"`
	UUIDPerVU     bool             `json:"uuid_constant_per_vu"`
	PicksPerVU    bool             `json:"masked_picks_constant_per_vu"`
	VUsPerPhase   []int            `json:"vus_per_phase,omitempty"`
	Counters      map[string]int64 `json:"counters"`
	Checks        []string         `json:"checks"`
}

// CountedRequest is one distinct canonical request and how often it came.
type CountedRequest struct {
	Count   int                 `json:"count"`
	Method  string              `json:"method"`
	Path    string              `json:"path"`
	Query   map[string][]string `json:"query"`
	Headers map[string]string   `json:"headers"`
	Cookies []string            `json:"cookies"`
	Body    any                 `json:"body"`
}

// DataFlow counts served values (tokens, ids, session headers) seen again
// in later requests: satisfied when the same VU had received them,
// violated otherwise.
type DataFlow struct {
	Satisfied int `json:"satisfied"`
	Violated  int `json:"violated"`
}

// Run is one tool's run of a script: what the recorder saw and what the
// tool reported.
type Run struct {
	Entries  []Entry
	Counters map[string]int64 // report counters under Artillery's names
	Stdout   string
	ExitCode int
}

// Summarize normalizes a run.
func Summarize(r Run, spec Spec) Summary {
	s := Summary{ExitCode: r.ExitCode, TotalRequests: len(r.Entries), PerEndpoint: map[string]int{},
		VUSequences: map[string]int{}, UUIDPerVU: true, PicksPerVU: true}
	masks := spec.compiledMasks()
	requests := map[string]int{}
	byVU := groupByVU(r.Entries)
	var starts []time.Time
	for _, vu := range sortedKeys(byVU) {
		es := byVU[vu]
		c := newVUContext(vu, masks, &s.DataFlow)
		var seq []string
		for _, e := range es {
			cr := c.request(e)
			ep := cr.Method + " " + cr.Path
			s.PerEndpoint[ep]++
			seq = append(seq, ep)
			key, _ := json.Marshal(cr)
			requests[string(key)]++
			c.learn(e)
		}
		s.VUSequences[strings.Join(seq, " > ")]++
		s.UUIDPerVU = s.UUIDPerVU && len(c.uuids) <= 1
		s.PicksPerVU = s.PicksPerVU && c.picksConstant()
		starts = append(starts, es[0].At)
	}
	s.VUCount = len(byVU)
	s.Requests = countedRequests(requests)
	s.VUsPerPhase = phaseGroups(starts, spec.PhaseGapS)
	s.Counters = filterCounters(r.Counters, spec.CounterMerge)
	s.Checks = checkLines(r.Stdout)
	return s
}

func groupByVU(entries []Entry) map[int64][]Entry {
	byVU := map[int64][]Entry{}
	for _, e := range entries {
		byVU[e.VU] = append(byVU[e.VU], e)
	}
	for _, es := range byVU {
		sort.Slice(es, func(i, j int) bool { return es[i].Seq < es[j].Seq })
	}
	return byVU
}

func sortedKeys(m map[int64][]Entry) []int64 {
	keys := make([]int64, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	return keys
}

func countedRequests(m map[string]int) []CountedRequest {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]CountedRequest, 0, len(keys))
	for _, k := range keys {
		var cr CountedRequest
		json.Unmarshal([]byte(k), &cr)
		cr.Count = m[k]
		out = append(out, cr)
	}
	return out
}

// phaseGroups counts VUs per burst of arrivals: VU start times split
// wherever nothing started for gap seconds (a pause phase). Zero gap
// means no grouping.
func phaseGroups(starts []time.Time, gap float64) []int {
	if gap <= 0 || len(starts) == 0 {
		return nil
	}
	sort.Slice(starts, func(i, j int) bool { return starts[i].Before(starts[j]) })
	groups := []int{1}
	for i := 1; i < len(starts); i++ {
		if starts[i].Sub(starts[i-1]).Seconds() >= gap {
			groups = append(groups, 0)
		}
		groups[len(groups)-1]++
	}
	return groups
}

// counterPrefixes are the report counters compared; zero values are left
// out because Artillery only reports counters that were incremented.
var counterPrefixes = []string{"http.requests", "http.responses", "http.codes.", "vusers.created",
	"vusers.completed", "vusers.failed", "vusers.skipped", "errors.", "plugins.expect.", "apdex."}

func filterCounters(in map[string]int64, merge map[string]string) map[string]int64 {
	out := map[string]int64{}
	for k, v := range in {
		if v == 0 || !hasAnyPrefix(k, counterPrefixes) {
			continue
		}
		if m, ok := merge[k]; ok {
			k = m
		}
		out[k] += v
	}
	return out
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

var (
	ansi      = regexp.MustCompile(`\x1b\[[0-9;]*m`)
	checkLine = regexp.MustCompile(`(?m)^\s*(?:ok|fail): .*$`)
)

// checkLines are the ensure lines a tool printed, sorted.
func checkLines(stdout string) []string {
	text := ansi.ReplaceAllString(stdout, "")
	out := []string{}
	for _, m := range checkLine.FindAllString(text, -1) {
		out = append(out, strings.Join(strings.Fields(m), " "))
	}
	sort.Strings(out)
	return out
}
