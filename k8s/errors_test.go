package k8s

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Bad input is refused with an error that says what to change, before
// anything is printed.
func TestBadInputIsAClearError(t *testing.T) {
	dir := filepath.Dir(writeTest(t, testScript, map[string]string{"data/users.csv": "a\n", "ids.csv": "1\n"}))
	good := filepath.Join(dir, "load.yml")
	missingPayload := writeTest(t, testScript, map[string]string{"ids.csv": "1\n"})
	outside := writeTest(t, strings.Replace(testScript, "./ids.csv", "../ids.csv", 1), map[string]string{"data/users.csv": "a\n"})
	// A payload that is a device (here a link to one) was read forever.
	device := writeTest(t, testScript, map[string]string{"data/users.csv": "a\n"})
	if err := os.Symlink("/dev/zero", filepath.Join(filepath.Dir(device), "ids.csv")); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, script string
		edit         func(*Options)
		want         string
	}{
		{"no workers", good, func(o *Options) { o.Workers = 0 }, "--workers 0: a test needs at least 1 worker"},
		{"too many workers", good, func(o *Options) { o.Workers = 100001 }, "--workers 100001: a test has at most 10000 shares"},
		// surge run refuses --segment 10000/10001: every pod would exit 2.
		{"more workers than shares", good, func(o *Options) { o.Workers = 10001 }, "--workers 10001: a test has at most 10000 shares"},
		{"no image", good, func(o *Options) { o.Image = " " }, "--image is empty"},
		{"bad name", good, func(o *Options) { o.Name = "Surge_Load" }, `--name "Surge_Load": a lowercase RFC 1123 label`},
		{"long name", good, func(o *Options) { o.Name = strings.Repeat("a", 60); o.Workers = 1000 }, "the pods' hostnames (" + strings.Repeat("a", 60) + "-999) must fit in 63 characters"},
		{"bad namespace", good, func(o *Options) { o.Namespace = "perf/x" }, `--namespace "perf/x"`},
		{"bad claim", good, func(o *Options) { o.ResultsClaim = "Claim!" }, `--results-claim "Claim!"`},
		{"no exit codes", good, func(o *Options) { o.FailJobExitCodes = nil }, "no exit codes fail the Job"},
		{"bad threshold", good, func(o *Options) { o.Thresholds = []string{"count>0", "p(99)<3x0ms"} }, `--threshold: threshold "p(99)<3x0ms": column 7`},
		{"exit code 0", good, func(o *Options) { o.FailJobExitCodes = []int32{0, 1} }, "exit code 0 is success"},
		{"unsorted exit codes", good, func(o *Options) { o.FailJobExitCodes = []int32{21, 1} }, "must be increasing"},
		{"short token", good, func(o *Options) { o.Token = "0123456789abcdef" }, "the coordinator's token has 16 characters: at least 32"},
		{"token and secret", good, func(o *Options) { o.TokenSecret = "mine" }, `a token and --token-secret "mine"`},
		{"bad token secret", good, func(o *Options) { o.Token, o.TokenSecret = "", "Mine!" }, `--token-secret "Mine!"`},
		{"negative wait", good, func(o *Options) { o.Wait = -time.Second }, "--wait -1s: negative"},
		{"negative margin", good, func(o *Options) { o.DeadlineMargin = -1 }, "the deadline margin -1ns is negative"},
		{"cpu not a quantity", good, func(o *Options) { o.CPU = "two" }, `--pod-cpu "two": not a Kubernetes quantity`},
		{"no memory", good, func(o *Options) { o.Memory = "0" }, `--pod-memory "0": must be positive`},
		{"bad selector key", good, func(o *Options) { o.NodeSelector = map[string]string{"a/b/c": "x"} }, "--node-selector a/b/c=x: the key"},
		{"bad selector value", good, func(o *Options) { o.NodeSelector = map[string]string{"pool": "two words"} }, "--node-selector pool=two words: the value"},
		{"missing script", filepath.Join(dir, "nope.yml"), nil, "nope.yml: cannot read script"},
		{"missing payload", missingPayload, nil, "load.yml:8:7: config.payload " + filepath.Join(filepath.Dir(missingPayload), "data/users.csv") + ": "},
		{"device payload", device, nil, filepath.Join(filepath.Dir(device), "ids.csv") + " is a character device; only regular files can be read"},
		{"payload outside", outside, nil, "config.payload " + filepath.Join(filepath.Dir(filepath.Dir(outside)), "ids.csv") + ": outside the script's directory"},
	}
	for _, c := range cases {
		o := testOptions()
		if c.edit != nil {
			c.edit(&o)
		}
		m, err := FromScript(c.script, o)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
		if m != nil {
			t.Errorf("%s: manifests returned with the error", c.name)
		}
	}
}

func TestBuildRefusesWhatTheAPIWould(t *testing.T) {
	script := File{Path: "load.yml", Data: []byte("x")}
	cases := []struct {
		name string
		test Test
		want string
	}{
		{"no script", Test{}, "no script"},
		{"absolute payload", Test{Script: script, Payloads: []File{{Path: "/etc/passwd"}}}, "/etc/passwd: outside the script's directory"},
		{"parent payload", Test{Script: script, Payloads: []File{{Path: "a/../../x.csv"}}}, "a/../../x.csv: outside"},
		{"too big", Test{Script: script, Payloads: []File{{Path: "big.csv", Data: make([]byte, 1<<20)}}}, "a ConfigMap holds at most 1048576 (1 MiB)"},
		{"too long", Test{Script: script, Length: 1 << 62}, "longer than a Job's deadline can say"},
	}
	for _, c := range cases {
		if _, err := Build(c.test, testOptions()); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
}

// Keys flatten paths into what a ConfigMap accepts, and stay distinct.
func TestConfigMapKeys(t *testing.T) {
	files, err := volumeFiles(Test{Script: File{Path: "load.yml"}, Payloads: []File{
		{Path: "a/b.csv"}, {Path: "a__b.csv"}, {Path: "my users.csv"}, {Path: "./a/b.csv"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range files {
		got = append(got, f.key+"="+f.path)
	}
	want := "load.yml=load.yml a__b.csv=a/b.csv a__b.csv-2=a__b.csv my_users.csv=my users.csv"
	if strings.Join(got, " ") != want {
		t.Errorf("keys %q, want %q", strings.Join(got, " "), want)
	}
}
