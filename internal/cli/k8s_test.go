package cli

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"

	"github.com/surge-dev/surge/internal/freeaddr"
	"github.com/surge-dev/surge/results"
)

// A Job fails at once on every way surge run can end other than success:
// a new exit code of surge run must be added to failJobExitCodes (codes
// only compare and capacity exit with are left out).
func TestK8sFailsTheJobOnEveryRunFailure(t *testing.T) {
	notRuns := []int{ExitRegression, ExitInconclusive, ExitBelowStart, ExitGeneratorSaturated} // compare's and capacity's
	var want []int32
	for _, e := range exitCodes {
		if e.code != ExitOK && !slices.Contains(notRuns, e.code) {
			want = append(want, int32(e.code))
		}
	}
	slices.Sort(want)
	if !slices.Equal(failJobExitCodes, want) {
		t.Errorf("failJobExitCodes %v, want surge run's failures %v", failJobExitCodes, want)
	}
	for _, doc := range []string{"../../docs/cli.md", "../../docs/distributed.md"} {
		text, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		if flat := strings.Join(strings.Fields(string(text)), " "); !strings.Contains(flat, "exit codes "+failJobCodesText()) {
			t.Errorf("%s does not list the Job's failing exit codes as %q", doc, failJobCodesText())
		}
	}
}

func TestK8sBadInputExitsTwo(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "load.yml")
	broken := filepath.Join(dir, "broken.yml")
	os.WriteFile(script, []byte("config:\n  target: http://127.0.0.1:9\n  payload: {path: users.csv, fields: [u]}\nscenarios: [{flow: [{get: {url: /}}]}]\n"), 0o644)
	os.WriteFile(broken, []byte("config:\n  phases: [{duration: x}]\nscenarios: []\n"), 0o644)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"k8s", script}, "--workers 0: a test needs at least 1 worker"},
		{[]string{"k8s", script, "--workers", "2"}, "load.yml:3:12: payload: stat " + filepath.Join(dir, "users.csv") + ": no such file"},
		{[]string{"k8s", filepath.Join(dir, "none.yml"), "--workers", "2"}, "none.yml: cannot read script"},
		{[]string{"k8s", broken, "--workers", "2"}, "broken.yml:2:"},
	} {
		res := surge(t, context.Background(), c.args...)
		if res.code != ExitUsage || !strings.Contains(res.stderr, c.want) || res.stdout != "" {
			t.Errorf("surge %q: exit %d stdout %q stderr %q; want 2, nothing printed, and %q", c.args, res.code, res.stdout, res.stderr, c.want)
		}
	}
}

// The pods' command lines run as printed, all at once as a Job starts
// them: each pod of a 3-share Job runs from the ConfigMap's files laid out
// as the volume mounts them, with the token from the Secret in its
// environment; index 0 coordinates the other two and writes the merged
// results, which hold every arrival of the plan once, and no pod writes
// the token anywhere. Cluster DNS is not here: the coordinator's address
// is a free loopback port (test/k8s resolves the real name).
func TestK8sPodsRunTheTestThroughIndexZero(t *testing.T) {
	srv, seen := pathCountingServer(t)
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "data"), 0o755)
	os.WriteFile(filepath.Join(dir, "data", "ids.csv"), []byte("a\nb\nc\nd\n"), 0o644)
	script := filepath.Join(dir, "load.yml")
	os.WriteFile(script, []byte(fmt.Sprintf(`config:
  target: %s
  phases: [{duration: 0.4, arrivalCount: 40}]
  payload: {path: data/ids.csv, fields: [id], order: sequence}
scenarios: [{flow: [{get: {url: "/{{ id }}"}}]}]
`, srv.URL)), 0o644)
	res := surge(t, context.Background(), "k8s", script, "--workers", "3", "--wait", "30s", "--threshold", "count==40")
	if res.code != ExitOK {
		t.Fatalf("surge k8s: exit %d: %s", res.code, res.stderr)
	}
	m := decodeManifests(t, res.stdout)
	if args := m.job.Spec.Template.Spec.Containers[0].Args; !slices.Contains(args, "count==40") {
		t.Fatalf("pod args %q lack the threshold", args)
	}
	token := string(m.secret.Data["token"])
	logs := runPods(t, dir, m, 3)
	// The threshold holds only on the whole test's 40 requests: index 0
	// judged it on the merged seconds, where no share has 40.
	if !strings.Contains(logs[0].String(), "ok: count==40") {
		t.Errorf("index 0's checks lack the merged threshold:\n%s", logs[0])
	}
	merged := filepath.Join(dir, "pod-0", "results", "merged.json")
	r, err := results.ReadFile(merged)
	if err != nil {
		t.Fatal(err)
	}
	if got := seen(); r.Aggregate.Requests != 40 || len(r.Plan.Clocks) != 3 || !mapsEqual(got, map[string]int{"/a": 10, "/b": 10, "/c": 10, "/d": 10}) {
		t.Errorf("merged requests %d of %d shares, server saw %v: want the plan's 40, rows in sequence", r.Aggregate.Requests, len(r.Plan.Clocks), got)
	}
	for index := 1; index < 3; index++ {
		if _, err := os.Stat(filepath.Join(dir, fmt.Sprintf("pod-%d", index), "results", "merged.json")); err == nil {
			t.Errorf("pod %d wrote merged.json: only index 0 writes the test's results", index)
		}
	}
	text, _ := os.ReadFile(merged)
	for index, log := range logs {
		if strings.Contains(log.String(), token) || bytes.Contains(text, []byte(token)) {
			t.Errorf("pod %d's output or the merged results hold the token", index)
		}
	}
}

// pathCountingServer is a server that counts the requests to each path; seen
// returns a copy of the counts.
func pathCountingServer(t *testing.T) (srv *httptest.Server, seen func() map[string]int) {
	var mu sync.Mutex
	counts := map[string]int{}
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		counts[r.URL.Path]++
		mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	return srv, func() map[string]int {
		mu.Lock()
		defer mu.Unlock()
		return maps.Clone(counts)
	}
}

// runPods starts the Job's n pods at once, as its controller would, each
// under dir/pod-INDEX, and waits until every one has exited 0; it
// returns their output.
func runPods(t *testing.T, dir string, m manifests, n int) []*bytes.Buffer {
	t.Helper()
	addr := freeaddr.Loopback(t)
	var pods []*exec.Cmd
	var logs []*bytes.Buffer
	for index := range n {
		cmd, log := startPod(t, filepath.Join(dir, fmt.Sprintf("pod-%d", index)), m, index, addr)
		pods, logs = append(pods, cmd), append(logs, log)
	}
	for index, cmd := range pods {
		if code := waitExit(t, cmd, func() { cmd.Process.Kill() }, 90*time.Second); code != ExitOK {
			t.Fatalf("pod %d: exit %d: %s", index, code, logs[index])
		}
	}
	return logs
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

type manifests struct {
	cm     corev1.ConfigMap
	secret corev1.Secret
	job    batchv1.Job
}

func decodeManifests(t *testing.T, out string) manifests {
	t.Helper()
	docs := bytes.Split([]byte(out), []byte("\n---\n"))
	var m manifests
	if len(docs) != 4 {
		t.Fatalf("%d documents, want 4", len(docs))
	}
	for i, into := range map[int]any{0: &m.cm, 1: &m.secret, 3: &m.job} {
		if err := yaml.UnmarshalStrict(docs[i], into); err != nil {
			t.Fatal(err)
		}
	}
	return m
}

// startPod does what a kubelet would with the Job's pod template for one
// completion index: mount the ConfigMap's items and an empty results
// directory under the working directory, give the container the Secret's
// token as its environment says, expand $(JOB_COMPLETION_INDEX), and
// start the container's command; the coordinator's addresses become addr.
func startPod(t *testing.T, root string, m manifests, index int, addr string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	pod := m.job.Spec.Template.Spec
	c := pod.Containers[0]
	mountAt := map[string]string{}
	for _, vm := range c.VolumeMounts {
		rel, err := filepath.Rel(c.WorkingDir, vm.MountPath)
		if err != nil {
			t.Fatal(err)
		}
		mountAt[vm.Name] = filepath.Join(root, rel)
		os.MkdirAll(mountAt[vm.Name], 0o755)
	}
	for _, v := range pod.Volumes {
		if v.ConfigMap == nil {
			continue
		}
		for _, it := range v.ConfigMap.Items {
			p := filepath.Join(mountAt[v.Name], it.Path)
			os.MkdirAll(filepath.Dir(p), 0o755)
			os.WriteFile(p, []byte(m.cm.Data[it.Key]), 0o644)
		}
	}
	if !slices.Equal(c.Command, []string{"surge"}) || len(c.Env) != 1 || c.Env[0].ValueFrom.SecretKeyRef.Name != m.secret.Name {
		t.Fatalf("command %q env %+v", c.Command, c.Env)
	}
	args := make([]string, len(c.Args))
	for i, a := range c.Args {
		args[i] = strings.ReplaceAll(a, "$(JOB_COMPLETION_INDEX)", fmt.Sprint(index))
		if i > 0 && (c.Args[i-1] == "--coordinator" || c.Args[i-1] == "--listen") {
			args[i] = addr
		}
	}
	cmd := exec.Command(os.Args[0], args...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "SURGE_TEST_AS_MAIN=1", c.Env[0].Name+"="+string(m.secret.Data[c.Env[0].ValueFrom.SecretKeyRef.Key]))
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, &log
}

// surge run's flags reach every pod and shape the test the shares are
// cut from: the pods send to -t's server, not the script's target (where
// nothing listens), at -r's rate for -d (20 arrivals, where the phases
// make 40), with the variables of the -c file, which is shipped in the
// ConfigMap; and the Job's deadline follows -d.
func TestK8sRunFlagsShapeThePodsTest(t *testing.T) {
	srv, seen := pathCountingServer(t)
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "conf"), 0o755)
	os.WriteFile(filepath.Join(dir, "conf", "extra.yml"), []byte("config:\n  variables: {page: from-conf}\n"), 0o644)
	script := filepath.Join(dir, "load.yml")
	os.WriteFile(script, []byte(`config:
  target: http://127.0.0.1:9
  phases: [{duration: 0.4, arrivalCount: 40}]
  variables: {page: from-script}
scenarios: [{flow: [{get: {url: "/{{ page }}"}}]}]
`), 0o644)
	res := surge(t, context.Background(), "k8s", script, "--workers", "2", "--wait", "30s",
		"-t", srv.URL, "-r", "20", "-d", "1s", "-c", filepath.Join(dir, "conf", "extra.yml"))
	if res.code != ExitOK {
		t.Fatalf("surge k8s: exit %d: %s", res.code, res.stderr)
	}
	m := decodeManifests(t, res.stdout)
	if got := *m.job.Spec.ActiveDeadlineSeconds; got != 1+30+600 {
		t.Errorf("activeDeadlineSeconds %d, want -d's 1 s, the wait and the margin: 631", got)
	}
	runPods(t, dir, m, 2)
	r, err := results.ReadFile(filepath.Join(dir, "pod-0", "results", "merged.json"))
	if err != nil {
		t.Fatal(err)
	}
	if got := seen(); r.Aggregate.Requests != 20 || r.Aggregate.Errors != 0 || !mapsEqual(got, map[string]int{"/from-conf": 20}) {
		t.Errorf("merged requests %d, errors %d, server saw %v: want -r 20 for -d 1s, all to -t with -c's variables",
			r.Aggregate.Requests, r.Aggregate.Errors, got)
	}
}

// What surge run would refuse with the pods' flags is refused before
// anything is printed.
func TestK8sRunFlagsBadInputExitsTwo(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "load.yml")
	os.WriteFile(script, []byte("config:\n  target: http://127.0.0.1:9\n  phases: [{duration: 1, arrivalRate: 1}]\nscenarios: [{name: browse, flow: [{get: {url: /}}]}]\n"), 0o644)
	outside := filepath.Join(t.TempDir(), "extra.yml")
	os.WriteFile(outside, []byte("config: {}\n"), 0o644)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-u", "0"}, "--users 0: expected 1 to"},
		{[]string{"-u", "2", "-r", "3"}, "--rate and --users exclude each other"},
		{[]string{"--scenario-name", "checkout"}, "checkout"},
		{[]string{"--overrides", "{"}, "--overrides"},
		{[]string{"-c", outside}, "--config " + outside + ": outside the script's directory"},
		{[]string{"--alerts", filepath.Join(dir, "none.yml")}, "none.yml"},
		{[]string{"--prometheus-label", "run=1"}, "give --prometheus-remote-write too"},
		{[]string{"--threshold", "GET /nope: p(95)<1s"}, `the test has no endpoint "GET /nope"`},
		{[]string{"-t", "http://user:secret@127.0.0.1:8080"}, "--target holds credentials"},
		{[]string{"--pod-cpu", "two"}, `--pod-cpu "two": not a Kubernetes quantity`},
		{[]string{"--node-selector", "pool"}, `--node-selector "pool": want KEY=VALUE`},
		{[]string{"--node-selector", "pool=a", "--node-selector", "pool=b"}, "the key pool is given twice"},
	} {
		args := append([]string{"k8s", script, "--workers", "2"}, c.args...)
		res := surge(t, context.Background(), args...)
		if res.code != ExitUsage || !strings.Contains(res.stderr, c.want) || res.stdout != "" {
			t.Errorf("surge %q: exit %d stdout %.80q stderr %q; want 2, nothing printed, and %q", c.args, res.code, res.stdout, res.stderr, c.want)
		}
	}
}
