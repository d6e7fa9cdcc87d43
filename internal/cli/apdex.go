package cli

import (
	"fmt"
	"io"

	"github.com/surge-dev/surge/templating"
)

// printApdex prints the apdex score of a run whose script enables the
// apdex plugin, as Artillery's plugin prints it at the end:
// (satisfied + tolerated/2) / all, with its ranking. Nothing when no
// response was counted.
func printApdex(w io.Writer, counters map[string]int64) {
	s, t, f := counters["apdex.satisfied"], counters["apdex.tolerated"], counters["apdex.frustrated"]
	total := s + t + f
	if total == 0 {
		return
	}
	score := (float64(s) + float64(t)/2) / float64(total)
	fmt.Fprintf(w, "\nApdex score: %s (%s)\n", templating.FormatNumber(score), apdexRanking(score))
}

// apdexRanking names a score with the plugin's bands.
func apdexRanking(score float64) string {
	switch {
	case score >= 0.94:
		return "excellent"
	case score >= 0.85:
		return "good"
	case score >= 0.7:
		return "fair"
	case score >= 0.49:
		return "poor"
	}
	return "unacceptable"
}
