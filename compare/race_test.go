//go:build race

package compare

// raceDetector is true under go test -race.
const raceDetector = true
