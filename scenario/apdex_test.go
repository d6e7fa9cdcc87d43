package scenario

import (
	"testing"
	"time"
)

// TestApdexThreshold: config.apdex.threshold, then the plugin's own, then
// 500 ms; nothing without the plugin.
func TestApdexThreshold(t *testing.T) {
	tests := []struct {
		config string
		want   time.Duration
	}{
		{"  plugins: {apdex: {}}\n", 500 * time.Millisecond},
		{"  plugins: {apdex: {threshold: 80}}\n", 80 * time.Millisecond},
		{"  apdex: {threshold: \"120\"}\n  plugins: {apdex: {threshold: 80}}\n", 120 * time.Millisecond},
		{"  apdex: {threshold: 120}\n", 0},
	}
	for _, tt := range tests {
		s, err := Parse("a.yml", []byte("config:\n"+tt.config+"scenarios:\n  - flow: [{get: {url: /}}]\n"))
		if err != nil {
			t.Fatal(err)
		}
		if s.Config.Plugins.ApdexThreshold != tt.want {
			t.Errorf("%q: threshold %v, want %v", tt.config, s.Config.Plugins.ApdexThreshold, tt.want)
		}
	}
}
