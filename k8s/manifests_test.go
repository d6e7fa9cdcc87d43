package k8s

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"

	"github.com/surge-dev/surge/scenario"
)

var testExitCodes = []int32{1, 2, 3, 21, 111, 130}

const testScript = `config:
  target: http://127.0.0.1:9
  phases:
    - duration: 90
      arrivalRate: 2
    - pause: 30
  payload:
    - path: data/users.csv
      fields: [user]
    - path: "./ids.csv"
      fields: [id]
    - path: data/users.csv
      fields: [again]
scenarios:
  - flow:
      - get:
          url: "/{{ user }}/{{ id }}"
`

// writeTest lays out a script with payload files in a new directory.
func writeTest(t *testing.T, script string, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range map[string]string{"load.yml": script} {
		files[name] = text
	}
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "load.yml")
}

// decoded are the printed manifests read back strictly into the API's
// types: an unknown or misspelled field is an error.
type decoded struct {
	cm     corev1.ConfigMap
	secret *corev1.Secret // nil: none printed
	svc    corev1.Service
	job    batchv1.Job
}

func decodeStrict(t *testing.T, out []byte) decoded {
	t.Helper()
	docs := bytes.Split(out, []byte("\n---\n"))
	var d decoded
	into := []any{&d.cm, &d.svc, &d.job}
	switch len(docs) {
	case 4:
		d.secret = &corev1.Secret{}
		into = []any{&d.cm, d.secret, &d.svc, &d.job}
	case 3:
	default:
		t.Fatalf("%d YAML documents, want 4 (ConfigMap, Secret, Service, Job), or 3 without the Secret:\n%s", len(docs), out)
	}
	for i, into := range into {
		if err := yaml.UnmarshalStrict(docs[i], into); err != nil {
			t.Fatalf("document %d: %v\n%s", i, err, docs[i])
		}
	}
	return d
}

func printed(t *testing.T, m *Manifests) decoded {
	t.Helper()
	out, err := m.YAML()
	if err != nil {
		t.Fatal(err)
	}
	return decodeStrict(t, out)
}

const testToken = "0123456789abcdefghijklmnopqrstuvwxyz"

func testOptions() Options {
	return Options{Name: "surge-load", Namespace: "perf", Image: "surge:test", Workers: 4,
		Seed: 7, DeadlineMargin: DefaultDeadlineMargin, Token: testToken, FailJobExitCodes: testExitCodes}
}

func TestManifestsDecodeStrictlyIntoTheAPITypes(t *testing.T) {
	path := writeTest(t, testScript, map[string]string{"data/users.csv": "alice\nbob\n", "ids.csv": "1\n2\n"})
	m, err := FromScript(path, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	d := printed(t, m)
	if d.cm.Kind != "ConfigMap" || d.svc.Kind != "Service" || d.job.Kind != "Job" || d.job.APIVersion != "batch/v1" {
		t.Fatalf("kinds %s %s %s/%s", d.cm.Kind, d.svc.Kind, d.job.APIVersion, d.job.Kind)
	}
	for _, meta := range []string{d.cm.Namespace, d.svc.Namespace, d.job.Namespace} {
		if meta != "perf" {
			t.Errorf("namespace %q, want perf", meta)
		}
	}
	checkConfigMap(t, d.cm)
	checkSecret(t, d.secret)
	checkService(t, d.svc)
	checkJob(t, d.job)
	checkPod(t, d.job.Spec.Template.Spec)
}

func checkConfigMap(t *testing.T, cm corev1.ConfigMap) {
	t.Helper()
	if cm.Name != "surge-load-script" {
		t.Errorf("ConfigMap %q", cm.Name)
	}
	want := map[string]string{"load.yml": testScript, "data__users.csv": "alice\nbob\n", "ids.csv": "1\n2\n"}
	if len(cm.Data) != len(want) {
		t.Errorf("ConfigMap keys %v, want %v (a payload read twice is shipped once)", keys(cm.Data), keys(want))
	}
	for k, v := range want {
		if cm.Data[k] != v {
			t.Errorf("ConfigMap[%q] = %q, want %q", k, cm.Data[k], v)
		}
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func checkService(t *testing.T, svc corev1.Service) {
	t.Helper()
	s := svc.Spec
	if svc.Name != "surge-load" || s.ClusterIP != corev1.ClusterIPNone || !s.PublishNotReadyAddresses {
		t.Errorf("Service %q clusterIP %q publishNotReadyAddresses %v: want a headless surge-load publishing pods before they are ready", svc.Name, s.ClusterIP, s.PublishNotReadyAddresses)
	}
	if s.Selector["batch.kubernetes.io/job-name"] != "surge-load" || len(s.Selector) != 1 {
		t.Errorf("selector %v: want the Job's pods", s.Selector)
	}
	if len(s.Ports) != 1 || s.Ports[0].Port != CoordinatorPort {
		t.Errorf("ports %v", s.Ports)
	}
}

func checkJob(t *testing.T, job batchv1.Job) {
	t.Helper()
	s := job.Spec
	if *s.CompletionMode != batchv1.IndexedCompletion || *s.Completions != 4 || *s.Parallelism != 4 {
		t.Errorf("completionMode %v completions %d parallelism %d: want Indexed, 4, 4", *s.CompletionMode, *s.Completions, *s.Parallelism)
	}
	if *s.BackoffLimitPerIndex != 0 || *s.MaxFailedIndexes != 0 || s.BackoffLimit != nil {
		t.Errorf("backoffLimitPerIndex %d maxFailedIndexes %d backoffLimit %v: want no retry, no failed index", *s.BackoffLimitPerIndex, *s.MaxFailedIndexes, s.BackoffLimit)
	}
	// 90 s of arrivals, a 30 s pause, 5 min of the coordinator's wait,
	// 10 min of margin.
	if want := int64(90 + 30 + 300 + 600); *s.ActiveDeadlineSeconds != want {
		t.Errorf("activeDeadlineSeconds %d, want %d", *s.ActiveDeadlineSeconds, want)
	}
	// The coordinator (index 0) succeeds only once every share has
	// reported, with the whole test's verdict.
	if p := s.SuccessPolicy; p == nil || len(p.Rules) != 1 || p.Rules[0].SucceededIndexes == nil ||
		*p.Rules[0].SucceededIndexes != "0" || p.Rules[0].SucceededCount != nil {
		t.Errorf("successPolicy %+v: want complete once index 0 succeeded", s.SuccessPolicy)
	}
	rules := s.PodFailurePolicy.Rules
	if len(rules) != 2 || rules[0].Action != batchv1.PodFailurePolicyActionFailJob || rules[1].Action != batchv1.PodFailurePolicyActionFailJob {
		t.Fatalf("pod failure rules %+v", rules)
	}
	codes := rules[0].OnExitCodes
	if *codes.ContainerName != ContainerName || codes.Operator != batchv1.PodFailurePolicyOnExitCodesOpIn || !slices.Equal(codes.Values, testExitCodes) {
		t.Errorf("exit-code rule %+v: want FailJob on %v of container surge", codes, testExitCodes)
	}
	if c := rules[1].OnPodConditions; len(c) != 1 || c[0].Type != corev1.DisruptionTarget || c[0].Status != corev1.ConditionTrue {
		t.Errorf("pod-condition rule %+v: want FailJob on DisruptionTarget", c)
	}
}

func checkPod(t *testing.T, pod corev1.PodSpec) {
	t.Helper()
	if pod.RestartPolicy != corev1.RestartPolicyNever || pod.Subdomain != "surge-load" || len(pod.Containers) != 1 {
		t.Fatalf("restartPolicy %q subdomain %q containers %d", pod.RestartPolicy, pod.Subdomain, len(pod.Containers))
	}
	c := pod.Containers[0]
	wantArgs := []string{"run", "--segment", "$(JOB_COMPLETION_INDEX)/4",
		"--coordinator", "surge-load-0.surge-load:7337", "--coordinate-if-first", "--listen", ":7337", "--wait", "5m0s",
		"--seed", "7", "--output", "results/merged.json", "script/load.yml"}
	if c.Name != "surge" || c.Image != "surge:test" || !slices.Equal(c.Command, []string{"surge"}) || !slices.Equal(c.Args, wantArgs) || c.WorkingDir != WorkDir {
		t.Errorf("container %s image %s command %q args %q workingDir %s, want args %q", c.Name, c.Image, c.Command, c.Args, c.WorkingDir, wantArgs)
	}
	checkTokenVar(t, c.Env, "surge-load-token")
	mounts := map[string]string{}
	for _, vm := range c.VolumeMounts {
		mounts[vm.Name] = vm.MountPath
	}
	if mounts["script"] != "/surge/script" || mounts["results"] != "/surge/results" {
		t.Errorf("mounts %v", mounts)
	}
	checkVolumes(t, pod.Volumes)
}

func checkVolumes(t *testing.T, vs []corev1.Volume) {
	t.Helper()
	if len(vs) != 2 || vs[0].ConfigMap == nil || vs[1].EmptyDir == nil {
		t.Fatalf("volumes %+v: want the script's ConfigMap and an emptyDir", vs)
	}
	items := map[string]string{}
	for _, it := range vs[0].ConfigMap.Items {
		items[it.Key] = it.Path
	}
	want := map[string]string{"load.yml": "load.yml", "data__users.csv": "data/users.csv", "ids.csv": "ids.csv"}
	if vs[0].ConfigMap.Name != "surge-load-script" || len(items) != len(want) {
		t.Errorf("ConfigMap volume %s items %v, want %v", vs[0].ConfigMap.Name, items, want)
	}
	for k, p := range want {
		if items[k] != p {
			t.Errorf("key %s mounted at %q, want %q (the payload's path in the script)", k, items[k], p)
		}
	}
}

func checkSecret(t *testing.T, s *corev1.Secret) {
	t.Helper()
	if s == nil || s.Name != "surge-load-token" || s.Namespace != "perf" || s.Type != corev1.SecretTypeOpaque ||
		string(s.Data["token"]) != testToken || s.Immutable == nil || !*s.Immutable {
		t.Errorf("Secret %+v: want an immutable surge-load-token holding the token", s)
	}
}

// checkTokenVar: the token reaches the pods from the Secret through the
// environment, on no command line.
func checkTokenVar(t *testing.T, env []corev1.EnvVar, secret string) {
	t.Helper()
	if len(env) != 1 || env[0].Name != "SURGE_COORDINATOR_TOKEN" || env[0].Value != "" || env[0].ValueFrom == nil ||
		env[0].ValueFrom.SecretKeyRef == nil || env[0].ValueFrom.SecretKeyRef.Name != secret || env[0].ValueFrom.SecretKeyRef.Key != "token" {
		t.Errorf("env %+v: want SURGE_COORDINATOR_TOKEN from the key token of Secret %s", env, secret)
	}
}

// --token-secret names a Secret made beforehand: none is printed and the
// pods read the token from it; the token is nowhere in the manifests.
func TestTokenSecretIsUsedNotPrinted(t *testing.T) {
	o := testOptions()
	o.Token, o.TokenSecret = "", "perf-surge-token"
	m, err := Build(Test{Script: File{Path: "load.yml", Data: []byte(testScript)}}, o)
	if err != nil {
		t.Fatal(err)
	}
	d := printed(t, m)
	if d.secret != nil {
		t.Errorf("a Secret was printed: %+v", d.secret)
	}
	checkTokenVar(t, d.job.Spec.Template.Spec.Containers[0].Env, "perf-surge-token")
}

// The token is in the Secret only: no argument and no other object holds
// it.
func TestTokenOnlyInTheSecret(t *testing.T) {
	m, err := Build(Test{Script: File{Path: "load.yml", Data: []byte(testScript)}}, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	for _, obj := range []any{m.ConfigMap, m.Service, m.Job} {
		out, err := yaml.Marshal(obj)
		if err != nil || bytes.Contains(out, []byte(testToken)) {
			t.Errorf("%T holds the token (%v)", obj, err)
		}
	}
}

func TestNewTokenIsLongAndRandom(t *testing.T) {
	a, b := NewToken(), NewToken()
	if len(a) < MinTokenLength || len(a) != 52 || a == b {
		t.Errorf("tokens %q and %q: want 52 random characters each", a, b)
	}
}

func TestWaitLengthensTheDeadline(t *testing.T) {
	o := testOptions()
	o.Wait = 90 * time.Second
	m, err := Build(Test{Script: File{Path: "load.yml", Data: []byte("x")}, Length: 30 * time.Second}, o)
	if err != nil {
		t.Fatal(err)
	}
	j := printed(t, m).job
	if got := *j.Spec.ActiveDeadlineSeconds; got != 30+90+600 {
		t.Errorf("activeDeadlineSeconds %d, want the test's 30 s + the wait's 90 s + the 600 s margin", got)
	}
	if args := j.Spec.Template.Spec.Containers[0].Args; !slices.Contains(args, "1m30s") {
		t.Errorf("args %q: want --wait 1m30s", args)
	}
}

func TestResultsClaimReplacesTheEmptyDir(t *testing.T) {
	o := testOptions()
	o.ResultsClaim = "surge-results"
	m, err := Build(Test{Script: File{Path: "load.yml", Data: []byte(testScript)}}, o)
	if err != nil {
		t.Fatal(err)
	}
	v := printed(t, m).job.Spec.Template.Spec.Volumes[1]
	if v.PersistentVolumeClaim == nil || v.PersistentVolumeClaim.ClaimName != "surge-results" || v.EmptyDir != nil {
		t.Errorf("results volume %+v: want the claim surge-results", v.VolumeSource)
	}
}

func TestBinaryPayloadGoesToBinaryData(t *testing.T) {
	bin := []byte{0xff, 0xfe, 0, 1}
	m, err := Build(Test{Script: File{Path: "load.yml", Data: []byte("x")}, Payloads: []File{{Path: "raw.bin", Data: bin}}}, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	cm := printed(t, m).cm
	if !bytes.Equal(cm.BinaryData["raw.bin"], bin) || cm.Data["raw.bin"] != "" {
		t.Errorf("binaryData %v data %v: invalid UTF-8 must travel as binaryData", cm.BinaryData, cm.Data)
	}
}

func TestDeadlineRoundsUp(t *testing.T) {
	got, err := activeDeadline(1500*time.Millisecond, time.Second)
	if err != nil || got != 3 {
		t.Errorf("deadline of 1.5 s + 1 s = %d, %v; want 3", got, err)
	}
}

func TestDefaultName(t *testing.T) {
	for in, want := range map[string]string{
		"dir/Load Test.yml":              "surge-load-test",
		"checkout.v2.yaml":               "surge-checkout-v2",
		"x/__.json":                      "surge",
		strings.Repeat("a", 80) + ".yml": "surge-" + strings.Repeat("a", 51),
	} {
		if got := DefaultName(in); got != want {
			t.Errorf("DefaultName(%q) = %q, want %q", in, got, want)
		}
	}
}

// Thresholds follow the fixed flags in every pod's arguments, in order,
// each after its own --threshold, and before the script.
func TestThresholdsGoToEveryPod(t *testing.T) {
	path := writeTest(t, testScript, map[string]string{"data/users.csv": "alice\n", "ids.csv": "1\n"})
	o := testOptions()
	o.Thresholds = []string{"p(99)<300ms", `GET /items: failure_rate<1%`}
	m, err := FromScript(path, o)
	if err != nil {
		t.Fatal(err)
	}
	got := printed(t, m).job.Spec.Template.Spec.Containers[0].Args
	tail := []string{"--output", "results/merged.json", "--threshold", "p(99)<300ms", "--threshold", "GET /items: failure_rate<1%", "script/load.yml"}
	if len(got) < len(tail) || !slices.Equal(got[len(got)-len(tail):], tail) {
		t.Errorf("args %q, want them to end in %q", got, tail)
	}
}

// Run's flags follow the thresholds, before the script; the files they
// name are shipped beside the script and mounted at their paths.
func TestRunFlagsAndTheirFilesGoToEveryPod(t *testing.T) {
	path := writeTest(t, testScript, map[string]string{"data/users.csv": "alice\n", "ids.csv": "1\n", "conf/staging.yml": "config: {}\n"})
	s, err := scenario.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	conf, err := ScriptFile(s, filepath.Join(filepath.Dir(path), "conf", "staging.yml"), "--config")
	if err != nil {
		t.Fatal(err)
	}
	o := testOptions()
	o.Thresholds = []string{"p(99)<300ms"}
	o.Run = []string{"--users", "20", "--config", InPod(conf)}
	data, _ := os.ReadFile(path)
	m, err := FromParsed(s, data, o, conf)
	if err != nil {
		t.Fatal(err)
	}
	d := printed(t, m)
	got := d.job.Spec.Template.Spec.Containers[0].Args
	tail := []string{"--threshold", "p(99)<300ms", "--users", "20", "--config", "script/conf/staging.yml", "script/load.yml"}
	if len(got) < len(tail) || !slices.Equal(got[len(got)-len(tail):], tail) {
		t.Errorf("args %q, want them to end in %q", got, tail)
	}
	if d.cm.Data["conf__staging.yml"] != "config: {}\n" {
		t.Errorf("ConfigMap data %v lacks the config file", d.cm.Data)
	}
	var mounted bool
	for _, it := range d.job.Spec.Template.Spec.Volumes[0].ConfigMap.Items {
		mounted = mounted || (it.Key == "conf__staging.yml" && it.Path == "conf/staging.yml")
	}
	if !mounted {
		t.Errorf("volume items %+v do not mount the config file at conf/staging.yml", d.job.Spec.Template.Spec.Volumes[0].ConfigMap.Items)
	}
}

// A flag the pods' command line sets itself cannot come again in Run,
// and a file outside the script's directory cannot be shipped.
func TestRunRefusesThePodsOwnFlagsAndOutsideFiles(t *testing.T) {
	for _, run := range [][]string{{"--segment", "0/2"}, {"--output=x.json"}, {"-o", "x"}, {"--seed", "1"}, {"--coordinator", "a:1"}} {
		o := testOptions()
		o.Run = run
		if err := o.Validate(); err == nil || !strings.Contains(err.Error(), "sets it already") {
			t.Errorf("Run %q: error %v, want a refusal", run, err)
		}
	}
	path := writeTest(t, testScript, map[string]string{"data/users.csv": "alice\n", "ids.csv": "1\n"})
	s, err := scenario.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	outside := filepath.Join(t.TempDir(), "alerts.yml")
	os.WriteFile(outside, []byte("alerts: []\n"), 0o644)
	if _, err := ScriptFile(s, outside, "--alerts "+outside); err == nil || !strings.Contains(err.Error(), "outside the script's directory") {
		t.Errorf("a file outside the script's directory: error %v", err)
	}
	if _, err := ScriptFile(s, filepath.Join(s.Dir, "none.yml"), "--config none.yml"); err == nil || !strings.Contains(err.Error(), "--config none.yml: ") {
		t.Errorf("a missing file: error %v", err)
	}
}

// Each pod's CPU and memory are its request and its limit (so the pod is
// of the Guaranteed class), OnePodPerNode keeps the Job's pods on
// different nodes, and the node selector places them.
func TestPodPlacementAndResources(t *testing.T) {
	path := writeTest(t, testScript, map[string]string{"data/users.csv": "alice\n", "ids.csv": "1\n"})
	o := testOptions()
	o.CPU, o.Memory, o.OnePodPerNode = "1500m", "1Gi", true
	o.NodeSelector = map[string]string{"pool": "loadgen"}
	m, err := FromScript(path, o)
	if err != nil {
		t.Fatal(err)
	}
	spec := printed(t, m).job.Spec.Template.Spec
	res := spec.Containers[0].Resources
	for _, list := range []corev1.ResourceList{res.Requests, res.Limits} {
		if cpu, mem := list[corev1.ResourceCPU], list[corev1.ResourceMemory]; cpu.String() != "1500m" || mem.String() != "1Gi" {
			t.Errorf("resources %+v, want cpu 1500m and memory 1Gi as both request and limit", res)
		}
	}
	terms := spec.Affinity.PodAntiAffinity.RequiredDuringSchedulingIgnoredDuringExecution
	if len(terms) != 1 || terms[0].TopologyKey != "kubernetes.io/hostname" || terms[0].LabelSelector.MatchLabels[jobNameLabel] != o.Name {
		t.Errorf("anti-affinity %+v, want one pod of the Job per host name", terms)
	}
	if spec.NodeSelector["pool"] != "loadgen" {
		t.Errorf("node selector %v", spec.NodeSelector)
	}
	o = testOptions()
	m, err = FromScript(path, o)
	if err != nil {
		t.Fatal(err)
	}
	if spec := printed(t, m).job.Spec.Template.Spec; spec.Affinity != nil || spec.NodeSelector != nil || spec.Containers[0].Resources.Limits != nil {
		t.Errorf("without the options: affinity %v, selector %v, resources %+v; want none", spec.Affinity, spec.NodeSelector, spec.Containers[0].Resources)
	}
}
