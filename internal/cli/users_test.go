package cli

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/schedule"
)

// A program's users get surge run's flags by long name and the exit-code
// table in --help; --help builds no test.
func TestUsersHelpHasRunFlagsAndExitCodes(t *testing.T) {
	var out bytes.Buffer
	build := func(string, []schedule.Phase) (*engine.Test, error) { return nil, errors.New("built on --help") }
	if code := UsersMain("lab", []string{"--help"}, IO{Stdout: &out, Stderr: &out}, build); code != ExitOK {
		t.Fatalf("exit %d: %s", code, out.String())
	}
	for _, flag := range []string{"--users", "--spawn-rate", "--rate", "--duration", "--config", "--target", "--output",
		"--report", "--dashboard", "--threshold", "--alerts", "--junit", "--monitor", "--stream", "--prometheus", "--segment", "--seed", "--local", "--coordinate", "--coordinator"} {
		if !strings.Contains(out.String(), flag+" ") {
			t.Errorf("--help lacks %s", flag)
		}
	}
	if !strings.Contains(out.String(), exitCodesHelp()) || !strings.Contains(out.String(), "lab -t http://127.0.0.1:8080 --users 20") {
		t.Fatalf("--help lacks the exit codes or the program's name:\n%s", out.String())
	}
}

// TestUsersFlagsAreDecimal: a program's own command line refuses
// numbers not written in decimal, as surge's does, before building.
func TestUsersFlagsAreDecimal(t *testing.T) {
	build := func(string, []schedule.Phase) (*engine.Test, error) { return nil, errors.New("built") }
	for _, args := range [][]string{{"--rate", "0x1p3"}, {"--users", "010"}, {"--users", "2", "--spawn-rate", "nan"}} {
		var out bytes.Buffer
		code := UsersMain("lab", args, IO{Stdout: &out, Stderr: &out}, build)
		if code != ExitUsage || !strings.Contains(out.String(), `invalid argument "`+args[len(args)-1]+`"`) {
			t.Errorf("%v: exit %d: %s", args, code, out.String())
		}
	}
}

// The builder gets --target and the phase of the load flags.
func TestUsersLoadFlagsMakeThePhase(t *testing.T) {
	var got []schedule.Phase
	var gotTarget string
	build := func(target string, phases []schedule.Phase) (*engine.Test, error) {
		got, gotTarget = phases, target
		return nil, errors.New("stop here")
	}
	var out bytes.Buffer
	UsersMain("lab", []string{"-t", "http://x", "--users", "20", "--spawn-rate", "5", "--duration", "3s"}, IO{Stdout: &out, Stderr: &out}, build)
	want := schedule.Phase{Kind: schedule.Users, Users: 20, SpawnRate: 5, Duration: 3e9}
	if gotTarget != "http://x" || len(got) != 1 || got[0] != want {
		t.Fatalf("target %q phases %+v, want %+v", gotTarget, got, want)
	}
	UsersMain("lab", []string{"--rate", "7"}, IO{Stdout: &out, Stderr: &out}, build)
	want = schedule.Phase{Kind: schedule.Constant, ArrivalRate: 7, Duration: 6e10}
	if gotTarget != "" || len(got) != 1 || got[0] != want {
		t.Fatalf("target %q phases %+v, want %+v", gotTarget, got, want)
	}
}

// --target without a scheme is taken as http://, as surge run's -t and
// every URL flag take it (a Go user's program wrote "is not an http(s)
// URL with a host" for -t 127.0.0.1:8080, which surge run accepts).
func TestUsersTargetWithoutSchemeIsHTTP(t *testing.T) {
	var gotTarget string
	build := func(target string, _ []schedule.Phase) (*engine.Test, error) {
		gotTarget = target
		return nil, errors.New("stop here")
	}
	var out bytes.Buffer
	UsersMain("lab", []string{"-t", "127.0.0.1:8080/api", "--users", "2"}, IO{Stdout: &out, Stderr: &out}, build)
	if gotTarget != "http://127.0.0.1:8080/api" {
		t.Fatalf("target %q, want http://127.0.0.1:8080/api", gotTarget)
	}
}
