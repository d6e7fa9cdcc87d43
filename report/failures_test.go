package report

import (
	"strings"
	"testing"
	"time"

	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/results"
)

// failingRun is 10 s of a test where one response in five is a 500 and
// two VUs failed on a bad URL, built by the real recorder and builder.
func failingRun(t *testing.T) *results.Results {
	t.Helper()
	rec := metrics.NewRecorder([]string{"GET /a"}, 2, t0)
	b := results.Builder{Test: results.Test{Name: "failing", ExpectStatus: "100-399"}}
	for sec := 1; sec <= 10; sec++ {
		for i := range 100 {
			s := metrics.Sample{Latency: time.Millisecond, Status: 200}
			if i%5 == 0 {
				s.Status, s.Failed = 500, true
			}
			rec.Record(uint64(i), &s)
		}
		if sec == 1 {
			for k := range 2 {
				span := rec.VUStarted(uint64(k))
				rec.VUFinished(uint64(k), span, "EINVALIDURL", `url "ftp://x": unsupported scheme`)
			}
		}
		b.Add(rec.Flush(t0.Add(time.Duration(sec)*time.Second), sec == 10))
	}
	r, err := b.Results()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestReportShowsFailuresBesideErrors(t *testing.T) {
	r := failingRun(t)
	v := tableView(r, Options{})
	card := map[string]stat{}
	for _, c := range v.Cards {
		card[c.Label] = c
	}
	if c := card["Failures"]; c.Value != "200" || !strings.HasPrefix(c.Note, "20 %") {
		t.Errorf("failures card %+v, want 200 and 20 %%", c)
	}
	if c := card["Errors"]; c.Value != "0" || !strings.HasPrefix(c.Note, "0 %") {
		t.Errorf("errors card %+v, want 0", c)
	}
	if e := v.Endpoints[0]; e.Failures != "200" || e.FailureShare != "20 %" || e.Errors != "0" {
		t.Errorf("endpoint row %+v", e)
	}
	if len(v.Reasons) != 1 || v.Reasons[0] != (reasonRow{"EINVALIDURL", "2", `url "ftp://x": unsupported scheme`}) {
		t.Errorf("reasons %+v", v.Reasons)
	}
	page := renderString(t, r, Options{})
	for _, want := range []string{"Why virtual users failed", "unsupported scheme", "(expected: 100-399)", "<th>failure %</th>"} {
		if !strings.Contains(page, want) && !strings.Contains(page, escapeLikeTemplate(want)) {
			t.Errorf("report lacks %q", want)
		}
	}
}

// The counters the test kept are a table of the report, most first, the
// names escaped; the totals the results repeat under Artillery's names
// (http.requests, …) are not, and a run with no counters of its own has
// no table.
func TestReportListsTheCounters(t *testing.T) {
	r := failingRun(t)
	if page := renderString(t, r, Options{}); strings.Contains(page, `id="counters"`) {
		t.Error("a run without counters has a Counters table")
	}
	if len(r.Counters) == 0 {
		t.Fatal("the builder wrote no counters: the test would not see the derived ones left out")
	}
	for k, n := range map[string]int64{"surge.requests_resent": 2, "task_errors.browse: no <token>": 38,
		"failures.checkout: sold out": 5, "failures.cart: empty": 5, "idle": 0} {
		r.Counters[k] += n
	}
	v := tableView(r, Options{})
	var got []string
	for _, c := range v.Counters {
		got = append(got, c.Key+"="+c.Count)
	}
	want := "task_errors.browse: no <token>=38 failures.cart: empty=5 failures.checkout: sold out=5 surge.requests_resent=2"
	if strings.Join(got, " ") != want {
		t.Errorf("counters %q, want %q", strings.Join(got, " "), want)
	}
	page := renderString(t, r, Options{})
	for _, want := range []string{`<h3 id="counters">Counters</h3>`, "task_errors.browse: no &lt;token&gt;", "failures.checkout: sold out"} {
		if !strings.Contains(page, want) {
			t.Errorf("report lacks %q", want)
		}
	}
}
