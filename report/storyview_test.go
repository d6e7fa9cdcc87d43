package report

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/surge-dev/surge/results"
)

// readStoryRun reads a results file written by a real run against an
// emulator (testdata/story-*.json, see docs/scaling.md).
func readStoryRun(tb testing.TB, name string) *results.Results {
	tb.Helper()
	r, err := results.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

var sectionIDs = regexp.MustCompile(`<section id="([^"]+)"`)

// The scaling story is the first section after the summary, and the raw
// target series are folded below it; a run without a scaling target has
// neither.
func TestScalingStoryFirstAfterSummary(t *testing.T) {
	cases := []struct {
		file, says string
	}{
		{"story-lambda.json", "the burst limit of 500 was reached"},
		{"story-fleet.json", "the scale-out lag"},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			page := renderString(t, readStoryRun(t, c.file), Options{assets: fakeAssets()})
			var ids []string
			for _, m := range sectionIDs.FindAllStringSubmatch(page, -1) {
				ids = append(ids, m[1])
			}
			if len(ids) < 2 || ids[0] != "summary" || ids[1] != "scaling-story" {
				t.Errorf("sections %v: want summary, then scaling-story", ids)
			}
			story := page[strings.Index(page, `<section id="scaling-story">`):]
			story = story[:strings.Index(story, "</section>")]
			if !strings.Contains(story, c.says) || !strings.Contains(story, `<div id="story-charts">`) {
				t.Errorf("the story section does not say %q or has no charts box:\n%s", c.says, story)
			}
			monitor := page[strings.Index(page, `<section id="monitor">`):]
			fold, table, end := strings.Index(monitor, `<details id="raw-target-series">`), strings.Index(monitor, "<table>"), strings.Index(monitor, "</details>")
			if fold < 0 || !(fold < table && table < end) || !(strings.Index(monitor, `id="monitor-charts"`) < end) {
				t.Error("the raw target series are not folded in <details>")
			}
			if d := embeddedData(t, page); d.Story == nil || len(d.Story.Charts) != 4 {
				t.Errorf("embedded story: %+v", d.Story)
			}
		})
	}
	plain := renderString(t, synth(t, 30, 50, "GET /"), Options{assets: fakeAssets()})
	if strings.Contains(plain, "scaling-story") || strings.Contains(plain, "<details") || embeddedData(t, plain).Story != nil {
		t.Error("a run without a scaling target has a story or folded series")
	}
}
