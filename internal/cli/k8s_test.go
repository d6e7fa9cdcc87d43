package cli

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"

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
		{[]string{"k8s", script, "--workers", "2"}, "load.yml:3:12: config.payload " + filepath.Join(dir, "users.csv") + ": open"},
		{[]string{"k8s", filepath.Join(dir, "none.yml"), "--workers", "2"}, "none.yml: cannot read script"},
		{[]string{"k8s", broken, "--workers", "2"}, "broken.yml:2:"},
	} {
		res := surge(t, context.Background(), c.args...)
		if res.code != ExitUsage || !strings.Contains(res.stderr, c.want) || res.stdout != "" {
			t.Errorf("surge %q: exit %d stdout %q stderr %q; want 2, nothing printed, and %q", c.args, res.code, res.stdout, res.stderr, c.want)
		}
	}
}

// The pods' command lines run as printed: each pod of a 3-share Job runs
// its share from the ConfigMap's files laid out as the volume mounts them,
// and surge merge of their files holds every arrival of the plan once.
func TestK8sPodsRunTheirSharesAndMerge(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen[r.URL.Path]++
		mu.Unlock()
	}))
	defer srv.Close()
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
	res := surge(t, context.Background(), "k8s", script, "--workers", "3")
	if res.code != ExitOK {
		t.Fatalf("surge k8s: exit %d: %s", res.code, res.stderr)
	}
	cm, job := decodeManifests(t, res.stdout)
	var files []string
	for index := range 3 {
		files = append(files, runPod(t, filepath.Join(dir, fmt.Sprintf("pod-%d", index)), cm, job, index))
	}
	merged := filepath.Join(dir, "merged.json")
	if res := surge(t, context.Background(), append([]string{"merge", "-q", "-o", merged, "--script", script}, files...)...); res.code != ExitOK {
		t.Fatalf("surge merge: exit %d: %s", res.code, res.stderr)
	}
	r, err := results.ReadFile(merged)
	if err != nil {
		t.Fatal(err)
	}
	if r.Aggregate.Requests != 40 || !mapsEqual(seen, map[string]int{"/a": 10, "/b": 10, "/c": 10, "/d": 10}) {
		t.Errorf("merged requests %d, server saw %v: want the plan's 40, rows in sequence", r.Aggregate.Requests, seen)
	}
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

func decodeManifests(t *testing.T, out string) (corev1.ConfigMap, batchv1.Job) {
	t.Helper()
	docs := bytes.Split([]byte(out), []byte("\n---\n"))
	var cm corev1.ConfigMap
	var job batchv1.Job
	if len(docs) != 3 {
		t.Fatalf("%d documents", len(docs))
	}
	if err := yaml.UnmarshalStrict(docs[0], &cm); err != nil {
		t.Fatal(err)
	}
	if err := yaml.UnmarshalStrict(docs[2], &job); err != nil {
		t.Fatal(err)
	}
	return cm, job
}

// runPod does what a kubelet would with the Job's pod template for one
// completion index: mount the ConfigMap's items and an empty results
// directory under the working directory, expand $(JOB_COMPLETION_INDEX),
// and run the container's command. It returns the share's results file.
func runPod(t *testing.T, root string, cm corev1.ConfigMap, job batchv1.Job, index int) string {
	t.Helper()
	pod := job.Spec.Template.Spec
	c := pod.Containers[0]
	mountAt := map[string]string{}
	for _, m := range c.VolumeMounts {
		rel, err := filepath.Rel(c.WorkingDir, m.MountPath)
		if err != nil {
			t.Fatal(err)
		}
		mountAt[m.Name] = filepath.Join(root, rel)
		os.MkdirAll(mountAt[m.Name], 0o755)
	}
	for _, v := range pod.Volumes {
		if v.ConfigMap == nil {
			continue
		}
		for _, it := range v.ConfigMap.Items {
			p := filepath.Join(mountAt[v.Name], it.Path)
			os.MkdirAll(filepath.Dir(p), 0o755)
			os.WriteFile(p, []byte(cm.Data[it.Key]), 0o644)
		}
	}
	args := make([]string, len(c.Args))
	for i, a := range c.Args {
		args[i] = strings.ReplaceAll(a, "$(JOB_COMPLETION_INDEX)", fmt.Sprint(index))
	}
	if !slices.Equal(c.Command, []string{"surge"}) {
		t.Fatalf("command %q", c.Command)
	}
	t.Chdir(root)
	if res := surge(t, context.Background(), args...); res.code != ExitOK {
		t.Fatalf("pod %d: surge %q: exit %d: %s", index, args, res.code, res.stderr)
	}
	return filepath.Join(root, "results", fmt.Sprintf("share-%d.json", index))
}
