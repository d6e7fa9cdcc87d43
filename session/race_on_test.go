//go:build race

package session

// raceEnabled: the race detector slows every arrival several times over,
// so a test that times the generator itself runs without it (make unit's
// second line).
const raceEnabled = true
