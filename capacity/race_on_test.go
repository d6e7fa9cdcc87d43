//go:build race

package capacity

// raceOn: the race detector slows the simulated searches tenfold; under
// it they run a few seeds, for the races, and the figures come from the
// plain run.
const raceOn = true
