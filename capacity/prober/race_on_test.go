//go:build race

package prober

// raceOn: under the race detector the generator is slow enough to be
// (rightly) found saturated at loads the target serves; the search then
// runs for its races, and its answer is checked in the plain run.
const raceOn = true
