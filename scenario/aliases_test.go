package scenario

import (
	"fmt"
	"strings"
	"testing"
)

// aliasBomb is a script of under 2 kB whose aliases name ten to the power
// depth steps.
func aliasBomb(depth int) string {
	var b strings.Builder
	b.WriteString("x:\n  a0: &a0 [" + strings.Repeat("{get: {url: /}}, ", 9) + "{get: {url: /}}]\n")
	for i := 1; i <= depth; i++ {
		b.WriteString(fmt.Sprintf("  a%d: &a%d [%s*a%d]\n", i, i, strings.Repeat(fmt.Sprintf("*a%d, ", i-1), 9), i-1))
	}
	b.WriteString(fmt.Sprintf("scenarios:\n  - flow: *a%d\n", depth))
	return b.String()
}

// TestAliasBombIsRefusedBeforeExpanding: before the bound, the flow of
// this script was flattened into 10^8 steps (gigabytes); now the parse
// fails at once, naming where the expansion crossed the bound.
func TestAliasBombIsRefusedBeforeExpanding(t *testing.T) {
	script := aliasBomb(8)
	if len(script) > 2000 {
		t.Fatalf("the bomb is %d bytes", len(script))
	}
	_, err := Parse("bomb.yml", []byte(script))
	if err == nil || !strings.Contains(err.Error(), "aliases expand the script to more than 1000000 values") ||
		!strings.HasPrefix(err.Error(), "bomb.yml:") {
		t.Fatalf("got %v", err)
	}
	if _, err := Parse("ok.yml", []byte(aliasBomb(3))); err != nil {
		t.Fatalf("10^3 aliased steps are fine: %v", err)
	}
}

// TestAliasInsideItsOwnAnchor: a mapping that merges itself made the
// decoder recurse until the stack overflowed (a crash, not an error).
func TestAliasInsideItsOwnAnchor(t *testing.T) {
	for name, script := range map[string]string{
		"merge":    "config: &c\n  target: http://x\n  <<: *c\nscenarios: [{flow: [{get: {url: /}}]}]\n",
		"sequence": "scenarios:\n  - flow: &a\n    - *a\n",
	} {
		_, err := Parse("loop.yml", []byte(script))
		if err == nil || !strings.Contains(err.Error(), ":3:") || !strings.Contains(err.Error(), "is used inside the value its anchor names") {
			t.Errorf("%s: got %v", name, err)
		}
	}
}
