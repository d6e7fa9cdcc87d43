package suggest

import "strings"

// Nearest returns the known name closest to unknown, or "" when none is
// within half of unknown's length (plus two) edits.
func Nearest(unknown string, known []string) string {
	best, bestDist := "", len(unknown)/2+2
	lower := strings.ToLower(unknown)
	for _, k := range known {
		if d := Distance(lower, strings.ToLower(k)); d < bestDist {
			best, bestDist = k, d
		}
	}
	return best
}

// Within returns the first known name at most edits away from unknown
// (case-insensitive), or "": for places where unknown names are allowed
// and only a near miss is surely a typo.
func Within(unknown string, known []string, edits int) string {
	lower := strings.ToLower(unknown)
	for _, k := range known {
		if Distance(lower, strings.ToLower(k)) <= edits {
			return k
		}
	}
	return ""
}

// Distance is the Levenshtein distance between a and b, in bytes.
func Distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
