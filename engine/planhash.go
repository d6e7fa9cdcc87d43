package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
)

// PlanHash identifies the load a test sends, so that results files can be
// checked to be shares of one test: the SHA-256, in hex, of a canonical
// text of
//
//   - every field of every phase, in order (kind, name, duration, rates,
//     count, maxVusers, users, spawn rate);
//   - the scenarios' names and weights, in order (a weight of 0 as the 1
//     it counts for);
//   - the segment sequence, not the share: every share of one test hashes
//     alike, while shares cut by different sequences do not;
//   - the seed, which decides every scenario run's draws.
//
// It does not cover what the scenarios send (URLs, headers, bodies,
// payload files), the target, the endpoints or the timeouts: two scripts
// that differ only there hash alike.
func (t *Test) PlanHash() string {
	var b strings.Builder
	fmt.Fprintf(&b, "surge.plan/1\nseed %d\nsequence %s\n", t.Seed, t.segment().Sequence())
	for _, p := range t.Phases {
		fmt.Fprintf(&b, "phase %s name=%q duration=%d rate=%s rampTo=%s count=%d maxVusers=%d users=%d spawnRate=%s\n",
			p.Kind, p.Name, int64(p.Duration), float(p.ArrivalRate), float(p.RampTo), p.ArrivalCount,
			p.MaxVUsers, p.Users, float(p.SpawnRate))
	}
	for _, s := range t.Scenarios {
		fmt.Fprintf(&b, "scenario weight=%d name=%q\n", max(s.Weight, 1), s.Name)
	}
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:])
}

// float writes f exactly: the shortest text that reads back as f.
func float(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
