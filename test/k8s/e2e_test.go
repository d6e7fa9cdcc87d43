//go:build k8s_e2e

package k8se2e

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/client-go/kubernetes/scheme"

	"github.com/surge-dev/surge/results"
)

const namespace = "surge-e2e"

// surgeBin is the directory of the surge binary TestMain builds.
var surgeBin string

func TestMain(m *testing.M) {
	enterPod() // a pod's first process, started by the stand-in kubelet
	dir, err := os.MkdirTemp("", "surge-e2e-bin")
	if err != nil {
		panic(err)
	}
	surgeBin = dir
	build := exec.Command("go", "build", "-o", filepath.Join(dir, "surge"), "github.com/surge-dev/surge/cmd/surge")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	code := 1
	if build.Run() == nil {
		code = m.Run()
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

// target counts requests by path; /slow answers after a second.
type target struct {
	mu   sync.Mutex
	seen map[string]int
}

func newTarget(t *testing.T) (*target, string) {
	tg := &target{seen: map[string]int{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tg.mu.Lock()
		tg.seen[r.URL.Path]++
		tg.mu.Unlock()
		if r.URL.Path == "/slow" {
			time.Sleep(time.Second)
		}
	}))
	t.Cleanup(srv.Close)
	return tg, srv.URL
}

func (tg *target) counts() map[string]int {
	tg.mu.Lock()
	defer tg.mu.Unlock()
	out := map[string]int{}
	for k, v := range tg.seen {
		out[k] = v
	}
	return out
}

func TestSurgeK8sOnARealControlPlane(t *testing.T) {
	cp := startControlPlane(t)
	ctx, cancel := context.WithCancel(context.Background())
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: namespace}}
	if _, err := cp.client.CoreV1().Namespaces().Create(ctx, ns, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	k := newKubelet(t, cp.client, namespace, surgeBin)
	stopped := make(chan struct{})
	go func() { k.run(ctx); close(stopped) }()
	t.Cleanup(func() { cancel(); <-stopped })
	t.Run("the Job completes through index 0, the coordinator, whose merge is exact", func(t *testing.T) { testComplete(t, cp, k) })
	t.Run("a failed check on the merged seconds fails the Job", func(t *testing.T) { testFailJob(t, cp, k) })
}

// writeScript lays out a script and its payload of URL paths.
func writeScript(t *testing.T, script string, rows ...string) string {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "data"), 0o755)
	if err := os.WriteFile(filepath.Join(dir, "data", "paths.csv"), []byte(strings.Join(rows, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "load.yml")
	if err := os.WriteFile(path, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func testComplete(t *testing.T, cp *controlPlane, k *kubelet) {
	tg, url := newTarget(t)
	script := writeScript(t, fmt.Sprintf(`config:
  target: %s
  phases: [{duration: 2, arrivalCount: 60}]
  payload: {path: data/paths.csv, fields: [p], order: sequence}
  plugins: {ensure: {}}
  ensure:
    conditions:
      - expression: "http.requests == 60"
scenarios: [{flow: [{get: {url: "/{{ p }}"}}]}]
`, url), "a", "b", "c", "d")
	job := applyManifests(t, cp, script, "surge-e2e", 3)
	conditions := waitTerminal(t, cp, job)
	t.Logf("Job %s conditions:\n%s%s", job, conditions, k.describe(context.Background(), "batch.kubernetes.io/job-name="+job))
	// Complete through the success policy: index 0, the coordinator,
	// succeeded once every share had reported.
	if !strings.Contains(conditions, "SuccessCriteriaMet=True reason SuccessPolicy") || !strings.Contains(conditions, "Complete=True") {
		t.Fatalf("the Job did not complete through its success policy")
	}
	coordinator := podDir(t, k, job, 0)
	hosts, _ := os.ReadFile(podDir(t, k, job, 2) + ".hosts")
	t.Logf("index 2's /etc/hosts (in its mount namespace):\n%s", hosts)
	t.Logf("index 0's log ends:\n%s", tail(t, filepath.Join(coordinator, "container.log"), 12))
	r, err := results.ReadFile(filepath.Join(coordinator, "results", "merged.json"))
	if err != nil {
		t.Fatalf("index 0's merged results: %v", err)
	}
	want := map[string]int{"/a": 15, "/b": 15, "/c": 15, "/d": 15}
	if got := tg.counts(); r.Aggregate.Requests != 60 || fmt.Sprint(got) != fmt.Sprint(want) || len(r.Plan.Clocks) != 3 {
		t.Errorf("merged requests %d of %d shares, target saw %v: want the plan's 60 from 3 shares, %v", r.Aggregate.Requests, len(r.Plan.Clocks), got, want)
	}
	for _, c := range r.Plan.Clocks {
		t.Logf("share %s (%s): clock offset %.3f ms over a %.3f ms round trip, started %.3f ms after the start instant", c.Segment, c.Worker, c.OffsetMS, c.RTTMS, c.LateMS)
	}
	if r.Plan.StartSkewMS != nil {
		t.Logf("merged: %d requests, start skew %.3f ms", r.Aggregate.Requests, *r.Plan.StartSkewMS)
	}
	checkTokenKept(t, cp, k, job)
}

// podDir is the working directory of the Job's pod of an index.
func podDir(t *testing.T, k *kubelet, job string, index int) string {
	dirs, _ := filepath.Glob(filepath.Join(k.root, fmt.Sprintf("%s-%d-*", job, index)))
	var out []string
	for _, d := range dirs {
		if !strings.HasSuffix(d, ".hosts") {
			out = append(out, d)
		}
	}
	if len(out) != 1 {
		t.Fatalf("pod directories of %s index %d: %v", job, index, out)
	}
	return out[0]
}

func tail(t *testing.T, path string, lines int) string {
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Split(strings.TrimRight(string(text), "\n"), "\n")
	return strings.Join(all[max(0, len(all)-lines):], "\n")
}

// checkTokenKept: the Secret's token reached the pods (the coordinator
// refuses a worker without it) and lands in no results file, no pod's
// output and no pod's arguments.
func checkTokenKept(t *testing.T, cp *controlPlane, k *kubelet, job string) {
	s, err := cp.client.CoreV1().Secrets(namespace).Get(context.Background(), job+"-token", metav1.GetOptions{})
	if err != nil || len(s.Data["token"]) < 32 {
		t.Fatalf("the Job's Secret: %v, token of %d characters", err, len(s.Data["token"]))
	}
	token := s.Data["token"]
	files, _ := filepath.Glob(filepath.Join(k.root, job+"-[0-9]*", "*"))
	more, _ := filepath.Glob(filepath.Join(k.root, job+"-[0-9]*", "results", "*"))
	for _, f := range append(files, more...) {
		if text, err := os.ReadFile(f); err == nil && bytes.Contains(text, token) {
			t.Errorf("%s holds the coordinator's token", f)
		}
	}
	pods, err := cp.client.CoreV1().Pods(namespace).List(context.Background(), metav1.ListOptions{LabelSelector: "batch.kubernetes.io/job-name=" + job})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pods.Items {
		if strings.Contains(strings.Join(p.Spec.Containers[0].Args, " "), string(token)) {
			t.Errorf("pod %s has the token in its arguments", p.Name)
		}
	}
}

func testFailJob(t *testing.T, cp *controlPlane, k *kubelet) {
	_, url := newTarget(t)
	// Arrival i is share i mod 3's and reads row i mod 3: share 1 alone
	// requests /slow. The coordinator (index 0) judges the alert on the
	// merged seconds; it fires, and index 0 and its workers exit 1.
	script := writeScript(t, fmt.Sprintf(`config:
  target: %s
  phases: [{duration: 2, arrivalCount: 30}]
  payload: {path: data/paths.csv, fields: [p], order: sequence}
  alerts:
    - name: slow
      metric: latency
      statistic: Maximum
      period: 1s
      comparison: ">"
      threshold: 500ms
      actions: [print, fail]
scenarios: [{flow: [{get: {url: "/{{ p }}"}}]}]
`, url), "fast", "slow", "fast")
	job := applyManifests(t, cp, script, "surge-e2e-fail", 3)
	conditions := waitTerminal(t, cp, job)
	t.Logf("Job %s conditions:\n%s%s", job, conditions, k.describe(context.Background(), "batch.kubernetes.io/job-name="+job))
	t.Logf("index 0's log ends:\n%s", tail(t, filepath.Join(podDir(t, k, job, 0), "container.log"), 8))
	if !strings.Contains(conditions, "Failed=True reason PodFailurePolicy") || !strings.Contains(conditions, "failed with exit code 1 matching FailJob rule") {
		t.Errorf("want the Job failed by the pod failure policy on exit code 1")
	}
	if strings.Contains(conditions, "SuccessCriteriaMet") {
		t.Errorf("a failed test met the success policy")
	}
	j, err := cp.client.BatchV1().Jobs(namespace).Get(context.Background(), job, metav1.GetOptions{})
	if err != nil || j.Status.FailedIndexes == nil || *j.Status.FailedIndexes == "" {
		t.Errorf("failedIndexes %v (%v), want the index whose exit 1 failed the Job", j.Status.FailedIndexes, err)
	}
}

// applyManifests prints the manifests with surge k8s, decodes them
// strictly with the API's scheme, has the API server validate them (a
// server-side dry run with strict field validation: nothing stored) and
// creates them. It returns the Job's name.
func applyManifests(t *testing.T, cp *controlPlane, script, name string, workers int) string {
	out, code := surge(t, "k8s", script, "--workers", fmt.Sprint(workers), "--name", name, "--namespace", namespace, "--deadline-margin", "2m", "--wait", "1m")
	if code != 0 {
		t.Fatalf("surge k8s: exit %d: %s", code, out)
	}
	objs := decodeStrict(t, []byte(out))
	for _, dryRun := range [][]string{{metav1.DryRunAll}, nil} {
		for _, obj := range objs {
			if err := create(cp, obj, dryRun); err != nil {
				t.Fatalf("create %T (dry run %v): %v", obj, dryRun, err)
			}
		}
		if dryRun != nil {
			_, err := cp.client.BatchV1().Jobs(namespace).Get(context.Background(), name, metav1.GetOptions{})
			if !apierrors.IsNotFound(err) {
				t.Fatalf("after the dry run, get job: %v; want not found", err)
			}
			t.Logf("%s: server-side dry run accepted the ConfigMap, the Secret, the Service and the Job", name)
		}
	}
	return name
}

func decodeStrict(t *testing.T, out []byte) []runtime.Object {
	decoder := serializer.NewCodecFactory(scheme.Scheme, serializer.EnableStrict).UniversalDeserializer()
	var objs []runtime.Object
	for _, doc := range bytes.Split(out, []byte("\n---\n")) {
		obj, _, err := decoder.Decode(doc, nil, nil)
		if err != nil {
			t.Fatalf("strict decode: %v\n%s", err, doc)
		}
		objs = append(objs, obj)
	}
	return objs
}

func create(cp *controlPlane, obj runtime.Object, dryRun []string) error {
	ctx := context.Background()
	opts := metav1.CreateOptions{DryRun: dryRun, FieldValidation: "Strict"}
	var err error
	switch o := obj.(type) {
	case *corev1.ConfigMap:
		_, err = cp.client.CoreV1().ConfigMaps(namespace).Create(ctx, o, opts)
	case *corev1.Secret:
		_, err = cp.client.CoreV1().Secrets(namespace).Create(ctx, o, opts)
	case *corev1.Service:
		_, err = cp.client.CoreV1().Services(namespace).Create(ctx, o, opts)
	case *batchv1.Job:
		_, err = cp.client.BatchV1().Jobs(namespace).Create(ctx, o, opts)
	default:
		err = fmt.Errorf("unexpected object %T", obj)
	}
	return err
}

// waitTerminal waits for the Job's Complete or Failed condition and
// returns its conditions, one a line.
func waitTerminal(t *testing.T, cp *controlPlane, name string) string {
	deadline := time.Now().Add(3 * time.Minute)
	for {
		j, err := cp.client.BatchV1().Jobs(namespace).Get(context.Background(), name, metav1.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if text, done := conditionsOf(j); done {
			return text
		}
		if time.Now().After(deadline) {
			text, _ := conditionsOf(j)
			t.Fatalf("job %s not finished after 3 min:\n%s", name, text)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

func conditionsOf(j *batchv1.Job) (string, bool) {
	var b strings.Builder
	done := false
	for _, c := range j.Status.Conditions {
		fmt.Fprintf(&b, "  %s=%s reason %s: %s\n", c.Type, c.Status, c.Reason, c.Message)
		if (c.Type == batchv1.JobComplete || c.Type == batchv1.JobFailed) && c.Status == corev1.ConditionTrue {
			done = true
		}
	}
	fmt.Fprintf(&b, "  succeeded %d failed %d completedIndexes %q\n", j.Status.Succeeded, j.Status.Failed, j.Status.CompletedIndexes)
	return b.String(), done
}

// surge runs the built binary and returns its output; what it wrote to
// stderr is logged.
func surge(t *testing.T, args ...string) (string, int) {
	cmd := exec.Command(filepath.Join(surgeBin, "surge"), args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil && cmd.ProcessState == nil {
		t.Fatal(err)
	}
	if stderr.Len() > 0 {
		t.Logf("surge %s: stderr:\n%s", args[0], stderr.String())
	}
	return string(out), cmd.ProcessState.ExitCode()
}
