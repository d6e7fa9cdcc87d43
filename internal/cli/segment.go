package cli

import (
	"fmt"

	"github.com/spf13/pflag"
	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/scenario"
	"github.com/surge-dev/surge/schedule"
)

// segmentOptions are surge run's flags for running one share of a test.
type segmentOptions struct {
	segment  string // --segment: K/N, or from:to with --segments
	sequence string // --segments: the whole sequence, 0:1/4:1/2:1
	seed     uint64 // --seed: the draws of every scenario run
}

func addSegmentFlags(f *pflag.FlagSet, o *segmentOptions) {
	f.StringVar(&o.segment, "segment", "", "run one share of the test: K/N is share K (0 to N-1) of N equal shares; with --segments, from:to names one of its shares. A share skips the ensure checks: surge merge --script judges the merged results")
	f.StringVar(&o.sequence, "segments", "", "the whole segment sequence for weighted shares, e.g. 0:1/4:1/2:1 (every share must be given the same)")
	f.Uint64Var(&o.seed, "seed", 0, "seed of each scenario run's draws (scenario, random payload rows, list variables, probability); the shares of a test must share it")
}

// applySegment puts the share and the seed into the test, refusing bad
// flags before any load.
func applySegment(t *engine.Test, o segmentOptions) error {
	t.Seed = o.seed
	switch {
	case o.segment == "" && o.sequence != "":
		return usageError("--segments needs --segment: which of its shares this process runs")
	case o.segment == "":
		return nil
	}
	seg, err := schedule.ParseSegment(o.segment, o.sequence)
	if err != nil {
		return usageError("--segment: %v", err)
	}
	t.Segment = seg
	return nil
}

// judged is the script whose ensure checks judge this run: a share of a
// test (--segment) holds a slice of it, on which checks such as a request
// count or an error rate mean nothing, so a share leaves them to surge
// merge --script and says so.
func judged(io IO, s *scenario.Script, o segmentOptions) *scenario.Script {
	if o.segment == "" || s.Config.Ensure == nil {
		return s
	}
	fmt.Fprintln(io.Stderr, "ensure: not evaluated on one share (--segment); surge merge --script evaluates the checks on the merged results")
	share := *s
	share.Config.Ensure = nil
	return &share
}
