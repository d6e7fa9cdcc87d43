//go:build race

package h1

// raceEnabled: the race detector drops a share of what sync.Pool is
// given, so tests of buffer reuse have nothing to measure.
const raceEnabled = true
