package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// shortFlags is the one meaning of every short flag, in every command, and
// whose habit it follows (docs/cli.md lists the same table).
var shortFlags = map[string]string{
	"c": "config",      // Artillery's and k6's -c (ab's and hey's -c, concurrency, is --users)
	"d": "duration",    // k6 and wrk (hey's -d, a body, is --body)
	"e": "environment", // Artillery
	"H": "header",      // curl, ab, hey, wrk
	"h": "help",        // cobra
	"i": "input",       // Artillery
	"k": "insecure",    // curl, Artillery
	"m": "method",      // hey
	"n": "requests",    // ab and hey
	"o": "output",      // Artillery, k6
	"p": "payload",     // Artillery
	"q": "quiet",       // Artillery, k6
	"r": "rate",        // wrk2's -R, Vegeta's -rate (Locust's -r, spawn rate, is --spawn-rate)
	"s": "solo",        // Artillery
	"t": "target",      // Artillery
	"u": "users",       // k6 (--vus) and Locust
	"v": "variables",   // Artillery
	"w": "workers",     // surge k8s
}

// retiredShorthands are the short flags that meant something else once:
// they still do, hidden, with a notice.
var retiredShorthands = map[string]string{ // "command path -x": its old long name
	"surge -v":       "version",
	"surge quick -c": "connections",
	"surge k8s -n":   "namespace",
}

// flagIdeas is every long flag name and the one idea it names. A new flag
// is added here, after checking that its idea has no name yet.
var flagIdeas = map[string]string{
	"account-concurrency": "lambda: the account's concurrency limit", "addr": "the address this server listens on",
	"advice": "plan: what setting would remove the throttles", "alerts": "a file of alerts and notifiers", "allow-any-target": "ui: the page may name any host",
	"alpha": "compare: significance level", "body": "the request body", "body-file": "a file sent as the body",
	"burst": "lambda: burst concurrency", "confidence": "capacity: confidence of a verdict",
	"config": "a config file merged over the script", "connections": "bound on the connection pool",
	"cooldown": "capacity: idle time after a probe", "coordinate": "coordinate a test of N shares",
	"coordinator":         "run as a worker of this coordinator",
	"coordinate-if-first": "coordinate when this share is the first", "token-secret": "k8s: the Secret holding the coordinator's token", "coordinator-token": "the coordinator's token",
	"cpu": "heavy target: CPU time burnt per request", "dashboard": "serve the live dashboard at this address",
	"dashboard-allow-host": "host names the dashboard answers without a token", "dashboard-token": "the dashboard's token",
	"deadline-margin": "k8s: margin of the Job's deadline", "deregistration-delay": "fleet: deregistration delay",
	"desired": "fleet: desired tasks", "disable-scale-in": "fleet: no scale-in", "dotenv": "a .env file for $env",
	"duration": "how long the load runs", "environment": "config.environments.<name>",
	"error-rate": "heavy target: share of requests failed", "expect-status": "statuses that are not failures",
	"fail-on": "compare: what fails the exit code", "force": "replace an existing file", "format": "compare and plan: output format",
	"generator-max-cpu": "capacity: Surge's CPU limit", "generator-max-lag": "capacity: Surge's timer lag limit",
	"go": "init: a Go user file", "growth": "capacity: load growth factor", "handler-cpu": "lambda: CPU per invocation",
	"handler-duration": "lambda: handler duration", "header": "a request header", "headroom": "capacity: operating point",
	"health-check-delay": "fleet: health check delay", "help": "help",
	"idle-expiry": "lambda: idle environment expiry", "image": "k8s: container image", "init-duration": "lambda: cold start",
	"input": "another script merged over the script", "insecure": "skip TLS verification",
	"integration-timeout": "lambda: API Gateway timeout", "jitter": "heavy target: latency jitter",
	"junit": "a JUnit XML report", "latency": "heavy target: added latency",
	"listen": "the coordinator's address for workers", "local": "run as N local worker processes",
	"margin": "compare: a margin", "max": "the highest value searched or scaled to",
	"max-concurrency": "heavy target: concurrency limit", "method": "the HTTP method", "min": "fleet: fewest tasks",
	"mode": "lambda: Function URL or API Gateway", "monitor": "a Prometheus endpoint of the target to scrape",
	"monitor-series": "series kept from --monitor", "name": "k8s: the Job's name", "namespace": "k8s: namespace",
	"output": "the results file", "overrides": "JSON merged over the script", "payload": "CSV file for config.payload",
	"policy": "fleet: scaling policy", "precision": "capacity: stop precision", "probe": "capacity: probe length",
	"prometheus": "serve metrics for Prometheus", "prometheus-label": "labels on Prometheus series",
	"prometheus-linger": "serve metrics after the test", "prometheus-remote-write": "push metrics to Prometheus",
	"protocol": "HTTP version", "provisioned-concurrency": "lambda: provisioned concurrency",
	"queue-timeout": "fleet: queue timeout", "quiet": "print only errors and checks",
	"rate": "arrivals started a second (open model)", "report": "the HTML report file", "requests": "end after N requests",
	"resamples": "compare: bootstrap resamples", "reserved-concurrency": "lambda: reserved concurrency",
	"results-claim": "k8s: PersistentVolumeClaim for results", "scale-in-cooldown": "fleet: scale-in cooldown",
	"scale-in-datapoints": "fleet: scale-in datapoints", "scale-out-cooldown": "fleet: scale-out cooldown",
	"scale-out-datapoints": "fleet: scale-out datapoints", "scaling-model": "lambda: scaling model",
	"scenario-name": "run only this scenario", "script": "merge: the test's script", "search": "capacity: what to search",
	"seed": "the seed of random draws", "segment": "run one share of the test", "segments": "the segment sequence",
	"slo": "capacity: the objectives", "solo": "one virtual user", "spawn-rate": "users started a second",
	"stall-every": "heavy target: stall period", "stall-for": "heavy target: stall length", "start": "capacity: first load",
	"stream": "results written as the test goes", "target": "the base URL load is sent to",
	"target-cpu": "fleet: CPU target", "target-requests-per-task": "fleet: requests target",
	"targets": "a Vegeta targets file", "task-capacity": "fleet: task capacity", "task-start": "fleet: task start time",
	"test-generator-cost": "capacity: CPU burnt per request, for tests", "threshold": "a threshold in k6's syntax",
	"time-scale": "emulators: time speed-up", "service": "plan: lambda or fleet", "metric-period": "plan: the scaling metric's datapoint length", "timeout": "the request (or function) timeout",
	"title": "report: the title", "users": "looping users (closed model)", "variables": "JSON variables",
	"version": "print the version", "wait": "wait for the workers or coordinator",
	"warmup": "capacity: unjudged warm-up", "window": "compare: the seconds compared",
	"workers": "k8s: pods; heavy target: worker goroutines",
	"pod-cpu": "k8s: each pod's CPU", "pod-memory": "k8s: each pod's memory", "one-pod-per-node": "k8s: pods on different nodes",
	"node-selector": "k8s: the nodes the pods run on",
}

// oldNames are renamed flags: still accepted, hidden, with a notice.
var oldNames = map[string]string{ // old: new
	"token":  "dashboard-token", // surge ui's, --dashboard-token in run and quick
	"cpu-ms": "cpu",             // it takes a duration (2ms), not a number of ms
	"users":  "search",          // surge capacity's switch; --users is a number elsewhere
	"html":   "report",          // surge compare's page; --report in every other command
}

// eachFlag calls fn with every flag of every command under root, its own
// and inherited, and cobra's --help.
func eachFlag(root *cobra.Command, fn func(cmd *cobra.Command, f *pflag.Flag)) {
	root.InitDefaultHelpFlag()
	root.Flags().VisitAll(func(f *pflag.Flag) { fn(root, f) })
	for _, sub := range root.Commands() {
		eachFlag(sub, fn)
	}
}

func TestEveryShortFlagHasOneMeaning(t *testing.T) {
	retired := map[string]bool{}
	eachFlag(newRoot(IO{}), func(cmd *cobra.Command, f *pflag.Flag) {
		switch key := cmd.CommandPath() + " -" + f.Shorthand; {
		case f.Shorthand == "":
		case f.ShorthandDeprecated != "" || f.Deprecated != "":
			if retiredShorthands[key] != f.Name {
				t.Errorf("%s (--%s) is retired but not listed in retiredShorthands", key, f.Name)
			}
			retired[key] = true
		case shortFlags[f.Shorthand] != f.Name:
			t.Errorf("%s is --%s; -%s means --%s everywhere (shortFlags)", key, f.Name, f.Shorthand, shortFlags[f.Shorthand])
		}
	})
	for key, name := range retiredShorthands {
		if !retired[key] {
			t.Errorf("retiredShorthands lists %s (--%s), which is not a retired short flag", key, name)
		}
	}
}

func TestEveryIdeaHasOneName(t *testing.T) {
	names := map[string]string{} // idea: name
	for name, idea := range flagIdeas {
		if other, ok := names[idea]; ok {
			t.Errorf("--%s and --%s both name %q", name, other, idea)
		}
		names[idea] = name
	}
	eachFlag(newRoot(IO{}), func(cmd *cobra.Command, f *pflag.Flag) {
		where := cmd.CommandPath() + " --" + f.Name
		if f.Deprecated != "" {
			checkOldName(t, cmd, f)
			return
		}
		if _, ok := flagIdeas[f.Name]; !ok { // an old name too: those are hidden and deprecated
			t.Errorf("%s is not in flagIdeas: add it, after checking that its idea has no name yet", where)
		}
	})
}

// checkOldName checks that the deprecated flag f is an old name of a
// current flag of cmd, which it sets.
func checkOldName(t *testing.T, cmd *cobra.Command, f *pflag.Flag) {
	t.Helper()
	current := cmd.Flags().Lookup(oldNames[f.Name])
	switch {
	case oldNames[f.Name] == "" || current == nil:
		t.Errorf("%s --%s is deprecated but oldNames names no flag of the command it became", cmd.CommandPath(), f.Name)
	case !f.Hidden || !strings.Contains(f.Deprecated, "--"+current.Name):
		t.Errorf("%s --%s: hidden %v, notice %q; want hidden, naming --%s", cmd.CommandPath(), f.Name, f.Hidden, f.Deprecated, current.Name)
	}
}

// Old spellings keep working: they set the flag they became and print
// one line on standard error naming the new spelling; standard output
// stays clean.
func TestOldSpellingsStillWorkWithANotice(t *testing.T) {
	for _, c := range []struct {
		args       []string // the command, then its flags
		flag, want string   // the flag they set, its value
		notice     string
	}{
		{[]string{"quick", "-c", "7"}, "connections", "7", "Flag shorthand -c has been deprecated, use --connections"},
		{[]string{"ui", "--token", "0123456789abcdef"}, "dashboard-token", "0123456789abcdef", "Flag --token has been deprecated, use --dashboard-token"},
		{[]string{"k8s", "-n", "load"}, "namespace", "load", "Flag shorthand -n has been deprecated, use --namespace"},
		{[]string{"target", "heavy", "--cpu-ms", "3ms"}, "cpu", "3ms", "Flag --cpu-ms has been deprecated, use --cpu"},
		{[]string{"target", "--cpu-ms", "3ms"}, "cpu", "3ms", "Flag --cpu-ms has been deprecated, use --cpu"},
		{[]string{"capacity", "--users"}, "search", "users", "Flag --users has been deprecated, use --search users"},
		{[]string{"compare", "--html", "x.html"}, "report", "x.html", "Flag --html has been deprecated, use --report"},
	} {
		var stdout, stderr bytes.Buffer
		root := newRoot(IO{Stdout: &stdout, Stderr: &stderr})
		cmd, flags, err := root.Find(c.args)
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.ParseFlags(flags); err != nil {
			t.Fatalf("%v: %v", c.args, err)
		}
		f := cmd.Flags().Lookup(c.flag)
		if f == nil {
			t.Fatalf("%v: no flag --%s", c.args, c.flag)
		}
		if got := f.Value.String(); got != c.want {
			t.Errorf("%v: --%s is %q, want %q", c.args, c.flag, got, c.want)
		}
		if !strings.HasPrefix(stderr.String(), c.notice) || strings.Count(stderr.String(), "\n") != 1 || stdout.Len() != 0 {
			t.Errorf("%v: stderr %q, stdout %q; want one line %q… on stderr", c.args, stderr.String(), stdout.String(), c.notice)
		}
	}
}

// surge -v still prints the version, and says that -v is --variables.
func TestVersionShortFlagIsRetiredWithANotice(t *testing.T) {
	res := surge(t, t.Context(), "-v")
	if res.code != ExitOK || !strings.HasPrefix(res.stdout, "surge ") {
		t.Fatalf("surge -v: exit %d, stdout %q", res.code, res.stdout)
	}
	if !strings.Contains(res.stderr, "-v has been deprecated, use --version") || !strings.Contains(res.stderr, "--variables") {
		t.Errorf("surge -v: stderr %q lacks the notice", res.stderr)
	}
}

// docs/cli.md's table of short flags is shortFlags.
func TestShortFlagsAreDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/cli.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(doc), "\n## Short flags\n")
	section, _, _ = strings.Cut(section, "\n## ")
	var documented []string
	for _, m := range regexp.MustCompile("(?m)^\\| `-(\\w)` \\| `--([a-z-]+)` \\|").FindAllStringSubmatch(section, -1) {
		documented = append(documented, m[1]+" "+m[2])
	}
	var want []string
	for short, name := range shortFlags {
		want = append(want, short+" "+name)
	}
	slices.Sort(documented)
	slices.Sort(want)
	if !slices.Equal(documented, want) {
		t.Errorf("docs/cli.md's short flags %v, want %v", documented, want)
	}
}

// Every command's --help shows its own examples: at least one line runs
// the command itself, and none runs its parent (surge target heavy
// --help showed surge target's lines).
func TestEveryExampleRunsItsOwnCommand(t *testing.T) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		own := c.Example == ""
		for _, line := range strings.Split(c.Example, "\n") {
			line = strings.TrimSpace(line) + " "
			own = own || strings.HasPrefix(line, c.CommandPath()+" ")
			for p := c.Parent(); p != nil; p = p.Parent() {
				if strings.HasPrefix(line, p.CommandPath()+" -") {
					t.Errorf("%s --help shows its parent's example %q", c.CommandPath(), line)
				}
			}
		}
		if !own {
			t.Errorf("%s --help has examples, none of them its own:\n%s", c.CommandPath(), c.Example)
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(newRoot(IO{}))
}

// Every flag --help shows is in the docs: docs/cli.md, or docs/scaling.md
// for the scaling emulators.
func TestEveryFlagIsDocumented(t *testing.T) {
	cli, err := os.ReadFile("../../docs/cli.md")
	if err != nil {
		t.Fatal(err)
	}
	scaling, err := os.ReadFile("../../docs/scaling.md")
	if err != nil {
		t.Fatal(err)
	}
	eachFlag(newRoot(IO{}), func(cmd *cobra.Command, f *pflag.Flag) {
		doc := cli
		if p := cmd.CommandPath(); p == "surge target lambda" || p == "surge target fleet" {
			doc = append(slices.Clip(cli), scaling...)
		}
		if !f.Hidden && f.Name != "help" && !bytes.Contains(doc, []byte("--"+f.Name)) {
			t.Errorf("%s --%s is not documented", cmd.CommandPath(), f.Name)
		}
	})
}

// A single-value flag given twice is a usage error naming both values
// (pflag kept the last silently: -o a.json -o b.json wrote only b.json);
// lists and switches repeat freely.
func TestSingleValueFlagsTakeOneValue(t *testing.T) {
	script := filepath.Join(t.TempDir(), "s.yml")
	os.WriteFile(script, []byte("config:\n  target: http://127.0.0.1:9\nscenarios: [{flow: [{get: {url: /}}]}]\n"), 0o644)
	for _, args := range [][]string{
		{"run", script, "-o", "a.json", "-o", "b.json"},
		{"run", script, "--overrides", "{}", "--overrides", `{"config":{}}`},
		{"quick", "http://127.0.0.1:9/", "--rate", "5", "-r", "6"},
		{"k8s", script, "-w", "2", "-w", "3"},
	} {
		res := surge(t, context.Background(), args...)
		if res.code != ExitUsage || !strings.Contains(res.stderr, "given twice") {
			t.Errorf("surge %q: exit %d, stderr %q; want 2 and \"given twice\"", args, res.code, res.stderr)
		}
	}
	var seen bool
	eachFlag(newRoot(IO{}), func(cmd *cobra.Command, f *pflag.Flag) {
		if _, list := flagValue(f).(pflag.SliceValue); list || f.Value.Type() == "bool" {
			seen = seen || f.Name == "threshold"
			if _, wrapped := f.Value.(*onceValue); wrapped {
				t.Errorf("%s --%s is repeatable but refuses a second value", cmd.CommandPath(), f.Name)
			}
		}
	})
	if !seen {
		t.Error("no repeatable flag checked")
	}
	// An empty path is refused (-o '' wrote no file and said nothing).
	for _, args := range [][]string{{"quick", "http://127.0.0.1:9/", "-o", ""}, {"run", script, "--report", " "}, {"merge", "a.json", "-o", ""}} {
		if res := surge(t, context.Background(), args...); res.code != ExitUsage || !strings.Contains(res.stderr, "an empty path") {
			t.Errorf("surge %q: exit %d, stderr %q; want 2 and \"an empty path\"", args, res.code, res.stderr)
		}
	}
	// The wrapper hides a value's type from pflag's help, which then
	// printed "(default 0s)" for every duration without a default.
	for _, cmd := range []string{"run", "quick", "k8s", "capacity"} {
		if res := surge(t, context.Background(), cmd, "--help"); strings.Contains(res.stdout, "(default 0s)") {
			t.Errorf("surge %s --help prints a zero duration's default", cmd)
		}
	}
}
