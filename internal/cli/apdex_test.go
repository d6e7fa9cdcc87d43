package cli

import (
	"bytes"
	"testing"
)

// TestApdexScore: the score and ranking Artillery's plugin prints.
func TestApdexScore(t *testing.T) {
	tests := []struct {
		counters map[string]int64
		want     string
	}{
		{map[string]int64{"apdex.satisfied": 2, "apdex.tolerated": 4, "apdex.frustrated": 2}, "\nApdex score: 0.5 (poor)\n"},
		{map[string]int64{"apdex.satisfied": 19, "apdex.tolerated": 1}, "\nApdex score: 0.975 (excellent)\n"},
		{map[string]int64{"apdex.frustrated": 3}, "\nApdex score: 0 (unacceptable)\n"},
		{map[string]int64{}, ""},
	}
	for _, tt := range tests {
		var b bytes.Buffer
		printApdex(&b, tt.counters)
		if b.String() != tt.want {
			t.Errorf("%v: %q, want %q", tt.counters, b.String(), tt.want)
		}
	}
}
