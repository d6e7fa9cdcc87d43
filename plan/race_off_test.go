//go:build !race

package plan

// raceEnabled is true under the race detector.
const raceEnabled = false
