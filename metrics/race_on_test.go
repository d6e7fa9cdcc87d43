//go:build race

package metrics

// raceEnabled: the race detector makes sync.Pool drop a share of what
// is put back, so the stateless deflate's pooled tables are sometimes
// allocated again and allocation counts vary.
const raceEnabled = true
