package report

import (
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"testing"
)

// reportInit is the runtime's inittrace line of this package.
var reportInit = regexp.MustCompile(`(?m)^init github\.com/surge-dev/surge/report @\S+ ms, \S+ ms clock, (\d+) bytes, (\d+) allocs$`)

// initAllocLimit bounds the allocations of this package's init. Parsing
// the three page templates at init took about 1,800 allocations (88 kB)
// in every surge command, a report or not (issue 16's start-up time);
// what is left is the test files' own variables.
const initAllocLimit = 600

// TestInitParsesNoTemplate runs this test binary again, running no test,
// with the runtime's init trace on, and reads what the package's init
// allocated: allocation counts do not depend on the machine's speed.
func TestInitParsesNoTemplate(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("re-running the test binary: %v\n%s", err, out)
	}
	m := reportInit.FindSubmatch(out)
	if m == nil {
		t.Fatalf("no init trace of the report package in:\n%s", out)
	}
	allocs, _ := strconv.Atoi(string(m[2]))
	if allocs > initAllocLimit {
		t.Errorf("the report package's init made %d allocations (%s bytes), want at most %d: a template parsed at init?",
			allocs, m[1], initAllocLimit)
	}
	// The pages still parse, on first use.
	for name, parsed := range map[string]func() bool{
		"report":   func() bool { return page().Lookup("report") != nil },
		"capacity": func() bool { return capacityPage().Lookup("capacity") != nil },
		"overlay":  func() bool { return overlayPage().Lookup("overlay") != nil },
	} {
		if !parsed() {
			t.Errorf("template %s did not parse", name)
		}
	}
}
