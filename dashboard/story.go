package dashboard

import (
	"github.com/surge-dev/surge/report/story"
	"github.com/surge-dev/surge/results"
)

// liveStorySeconds is how much of the scaling story a frame carries: the
// last ten minutes (the sentence is still about the whole run), so that
// an hour's run does not send its whole history every second.
const liveStorySeconds = 600

// liveReplayBudget caps the Lambda replay done for each frame: the story
// is rebuilt every second, under the server's lock, and a replay of more
// arrivals than this would take a noticeable share of that second. Longer
// runs are drawn without the prediction; the report has it.
const liveReplayBudget = 50_000

// liveStory is the scaling story of the run so far, or nil when it
// monitors no scaling target.
func liveStory(r *results.Results) *story.Story {
	return story.Build(r, story.Options{ReplayBudget: liveReplayBudget}).Last(liveStorySeconds)
}
