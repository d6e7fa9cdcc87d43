//go:build race

package engine

// raceEnabled widens timing tolerances: the race detector slows the
// stalled server's drain several times over.
const raceEnabled = true
