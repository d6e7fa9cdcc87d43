package judge

import "github.com/surge-dev/surge/series"

// Replay judges a finished run from its seconds (a results file's
// intervals, series.FromResults), as the live judge would have judged
// them one by one. A merged file has no live run to stop: a rule that
// would have stopped it is reported in Abort all the same, and the caller
// decides what that means.
func Replay(r Rules, seconds []series.Second) (Outcome, error) {
	j, err := New(r)
	if err != nil {
		return Outcome{}, err
	}
	for _, s := range seconds {
		if _, err := j.Add(s); err != nil {
			return Outcome{}, err
		}
	}
	return j.Outcome()
}
