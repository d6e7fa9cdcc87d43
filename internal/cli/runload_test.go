package cli

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/surge-dev/surge/scenario"
)

// loadScript is a script whose own phases (a minute at 1 a second) would
// be told apart from any override at once.
const loadScript = "config:\n  phases: [{duration: 60, arrivalRate: 1}]\nscenarios: [{flow: [{get: {url: /}}]}]\n"

// --rate and --duration replace the phases: exactly rate×duration
// arrivals, each one request, counted by the server.
func TestRunRateAndDurationReplaceThePhases(t *testing.T) {
	srv, n := countingServer(t)
	res := surge(t, t.Context(), "run", "-t", srv.URL, "-r", "20", "-d", "2s", "-q", writeScript(t, loadScript))
	if res.code != ExitOK || n.Load() != 40 {
		t.Fatalf("exit %d, server counted %d requests, want 40\n%s", res.code, n.Load(), res.stderr)
	}
}

// -d alone scales the script's phases: 10 s at 5 a second becomes 1 s at
// 5 a second.
func TestRunDurationAloneScalesThePhases(t *testing.T) {
	srv, n := countingServer(t)
	script := writeScript(t, "config:\n  phases: [{duration: 10, arrivalRate: 5}]\nscenarios: [{flow: [{get: {url: /}}]}]\n")
	res := surge(t, t.Context(), "run", "-t", srv.URL, "--duration", "1s", "-q", script)
	if res.code != ExitOK || n.Load() != 5 {
		t.Fatalf("exit %d, server counted %d requests, want 5\n%s", res.code, n.Load(), res.stderr)
	}
}

// --users loops that many users for --duration: with a server that takes
// 100 ms, 2 users for 1 s send at most 2×(10+1) requests, and the
// script's minute-long phase is gone.
func TestRunUsersReplaceThePhases(t *testing.T) {
	var n, inFlight, most atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		now := inFlight.Add(1)
		for m := most.Load(); now > m && !most.CompareAndSwap(m, now); m = most.Load() {
		}
		time.Sleep(100 * time.Millisecond)
		inFlight.Add(-1)
	}))
	t.Cleanup(srv.Close)
	start := time.Now()
	res := surge(t, t.Context(), "run", "-t", srv.URL, "--users", "2", "--spawn-rate", "100", "-d", "1s", "-q", writeScript(t, loadScript))
	if res.code != ExitOK {
		t.Fatalf("exit %d\n%s", res.code, res.stderr)
	}
	if n.Load() < 2 || n.Load() > 22 || most.Load() != 2 {
		t.Errorf("server counted %d requests, at most %d at once; want 2 to 22, 2 at once", n.Load(), most.Load())
	}
	if took := time.Since(start); took > 30*time.Second {
		t.Errorf("took %v: the script's phase ran", took)
	}
}

// Values that cannot make a load are usage errors, before anything is
// sent.
func TestRunLoadFlagsRefuseBadValuesBeforeAnyLoad(t *testing.T) {
	srv, n := countingServer(t)
	script, noPhases := writeScript(t, loadScript), writeScript(t, "scenarios: [{flow: [{get: {url: /}}]}]\n")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-u", "0"}, "expected 1 to"},
		{[]string{"-u", "2000000"}, "expected 1 to"},
		{[]string{"-u", "5", "-r", "5"}, "exclude each other"},
		{[]string{"--spawn-rate", "2"}, "--spawn-rate needs --users"},
		{[]string{"-u", "2", "--spawn-rate", "-1"}, "must not be negative"},
		{[]string{"-r", "0"}, "must be positive"},
		{[]string{"-r", "NaN"}, `invalid argument "NaN" for "-r, --rate" flag: want a decimal number`},
		{[]string{"-r", "0x1p3"}, `invalid argument "0x1p3" for "-r, --rate" flag: want a decimal number`},
		{[]string{"-r", "2e6"}, "above"},
		{[]string{"-r", "max"}, "surge quick's"},
		{[]string{"-r", "0.1", "-d", "1s"}, "starts no arrival"},
		{[]string{"-d", "0s"}, "must be positive"},
		{[]string{"-d", "-1s", "-u", "2"}, "must be positive"},
		{[]string{"-d", "1000h"}, "longer than"},
		{[]string{"--solo", "-u", "3"}, "--solo runs one user"},
		{[]string{"-u", "2", noPhases}, "give -d/--duration"},
		{[]string{"-d", "5s", noPhases}, "have no length"},
	} {
		args := append([]string{"run", "-t", srv.URL}, c.args...)
		if !strings.HasSuffix(args[len(args)-1], ".yml") {
			args = append(args, script)
		}
		res := surge(t, t.Context(), args...)
		if res.code != ExitUsage || !strings.Contains(res.stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", c.args, res.code, res.stderr, ExitUsage, c.want)
		}
	}
	if n.Load() != 0 {
		t.Errorf("%d requests sent by refused runs", n.Load())
	}
}

// What each flag makes of the phases: one phase of the flags, as long as
// the script's phases (pauses included) unless --duration says.
func TestLoadFlagsReplaceOnlyThePhases(t *testing.T) {
	script := []scenario.Phase{{Duration: 30 * time.Second, ArrivalRate: 5}, {Pause: 10 * time.Second}, {Duration: 20 * time.Second, Users: 3}}
	users := loadFlags{users: 8, spawnRate: 2}
	users.set.users, users.set.spawnRate = true, true
	rate := loadFlags{rate: 40, duration: time.Minute}
	rate.set.rate, rate.set.duration = true, true
	scale := loadFlags{duration: 30 * time.Second}
	scale.set.duration = true
	for name, c := range map[string]struct {
		flags loadFlags
		want  []scenario.Phase
	}{
		"none":           {loadFlags{}, script},
		"users":          {users, []scenario.Phase{{Name: "--users", Users: 8, SpawnRate: 2, Duration: time.Minute}}},
		"rate, duration": {rate, []scenario.Phase{{Name: "--rate", ArrivalRate: 40, Duration: time.Minute}}},
		"duration alone": {scale, []scenario.Phase{{Duration: 15 * time.Second, ArrivalRate: 5}, {Pause: 5 * time.Second}, {Duration: 10 * time.Second, Users: 3}}},
	} {
		got, err := c.flags.apply(slices.Clone(script), false)
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("%s: %+v, %v; want %+v", name, got, err, c.want)
		}
	}
}

// surge run --local gives its workers the load flags too: each worker
// loads the script itself, and a worker without them would run the
// script's phases (and be refused for another plan hash).
func TestLocalWorkersGetTheLoadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-u", "3", "--spawn-rate", "2", "-d", "5s", "-o", "out.json"},
		{"-r", "20", "-t", "127.0.0.1:9"},
	} {
		cmd := newRunCmd(IO{})
		if err := cmd.ParseFlags(args); err != nil {
			t.Fatal(err)
		}
		got := shapingFlags(cmd)
		want := map[bool][]string{
			true:  {"--users=3", "--spawn-rate=2", "--duration=5s"},
			false: {"--rate=20", "--target=http://127.0.0.1:9"},
		}[args[0] == "-u"]
		for _, w := range want {
			if !slices.Contains(got, w) {
				t.Errorf("%v: workers get %v, lacking %s", args, got, w)
			}
		}
		if slices.ContainsFunc(got, func(a string) bool { return strings.HasPrefix(a, "--output") }) {
			t.Errorf("%v: workers get %v, with the coordinator's output", args, got)
		}
	}
}
