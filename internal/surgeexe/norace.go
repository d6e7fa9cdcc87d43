//go:build !race

package surgeexe

// RaceDetector is true in a binary built with -race: the surge it runs is
// then several times slower, too slow for tests that time a service.
const RaceDetector = false
