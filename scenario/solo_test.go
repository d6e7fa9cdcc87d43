package scenario

import "testing"

// TestSoloRunsOneVU: --solo drops the phases, so Artillery's default of
// one arrival applies.
func TestSoloRunsOneVU(t *testing.T) {
	s, err := ParseWith("s.yml", []byte("config:\n  phases: [{duration: 60, arrivalRate: 50}]\nscenarios:\n  - flow: [{get: {url: /}}]\n"), Options{Solo: true})
	if err != nil || len(s.Config.Phases) != 0 {
		t.Fatalf("%v %+v", err, s.Config.Phases)
	}
}
