package cli

import (
	"fmt"

	"github.com/surge-dev/surge/schedule"
)

// checkIfFirst refuses --coordinate-if-first without what it chooses
// by: the share (--segment) and the coordinator the others reach.
func (o distOptions) checkIfFirst(seg segmentOptions) error {
	switch {
	case !o.ifFirst:
		return nil
	case o.coordinating():
		return usageError("--coordinate-if-first does not go with --coordinate or --local: the process of the first share coordinates, and --segment says its N")
	case o.coordinator == "":
		return usageError("--coordinate-if-first needs --coordinator ADDR: where the other shares' workers reach the first share's process")
	case seg.segment == "":
		return usageError("--coordinate-if-first needs --segment: the share decides whether this process coordinates")
	}
	if _, err := schedule.ParseSegment(seg.segment, seg.sequence); err != nil {
		return usageError("--segment: %v", err)
	}
	return nil
}

// role is what --coordinate-if-first makes of this process: the first
// share's process (K = 0, the share starting at 0) coordinates the test
// as --coordinate N --segment 0/N would; any other is a worker of
// --coordinator. Without the flag the options are kept as given.
func (o distOptions) role(seg segmentOptions) distOptions {
	if !o.ifFirst {
		return o
	}
	s, err := schedule.ParseSegment(seg.segment, seg.sequence)
	if err != nil || s.Index() != 0 {
		return o
	}
	o.coordinate, o.coordinator = s.Sequence().Shares(), ""
	return o
}

// workerOutputs drops a --coordinate-if-first worker's -o, --report and
// --stream:
// every process was given the same command line, and those files are the
// whole test's, which the first share's process writes (on a shared
// volume, a worker's share would overwrite them).
func workerOutputs(io IO, dist distOptions, o outputOptions) outputOptions {
	if !dist.ifFirst || (o.output == "" && o.report == "" && o.stream == "") {
		return o
	}
	fmt.Fprintln(io.Stderr, "--coordinate-if-first: -o, --report and --stream are written by the first share's process (the merged test), not by this worker")
	o.output, o.report, o.stream = "", "", ""
	return o
}
