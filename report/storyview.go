package report

import (
	_ "embed"
	"html/template"

	"github.com/surge-dev/surge/report/story"
	"github.com/surge-dev/surge/results"
)

//go:embed story.css
var storyCSS string

// addStory puts the scaling story of r, if it has one, first after the
// summary (page.gohtml) and in the page's data for web/src/story.js. The
// raw target series are then folded below.
func addStory(v *view, d *pageData, r *results.Results) {
	st := story.Build(r, story.Options{})
	if st == nil {
		return
	}
	v.Story, d.Story = st, st
	v.PageCSS += template.CSS(storyCSS)
}
