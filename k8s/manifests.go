package k8s

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"
)

// Options say how a test is spread over a Job's pods.
type Options struct {
	Name      string // the Job's and the Service's name; the ConfigMap is Name-script
	Namespace string // empty: the namespace kubectl applies to
	Image     string // a container image with surge on its PATH
	Workers   int    // pods, each running one equal share
	Seed      uint64 // surge run --seed, the same for every share
	// Thresholds are surge run --threshold expressions (k6's syntax) for
	// every share, as written: index 0 judges them on the whole test's
	// merged seconds, and every pod exits with that verdict.
	Thresholds []string
	// DeadlineMargin is added to the test's length and Wait for the Job's
	// activeDeadlineSeconds: pulling the image, starting, draining, and
	// the script's before and after sections.
	DeadlineMargin time.Duration
	// ResultsClaim names a PersistentVolumeClaim mounted in every pod
	// where index 0 writes the merged results; empty: an emptyDir, which
	// a pod's deletion takes with it.
	ResultsClaim string
	// Wait is how long the coordinator (index 0) waits for every share
	// to be ready, and a worker for the coordinator: pods start late when
	// their image is pulled or the cluster scales up (0: DefaultWait).
	Wait time.Duration
	// Token is the coordinator's token the manifests' Secret holds (at
	// least MinTokenLength characters; NewToken makes one), unless
	// TokenSecret names an existing Secret whose key TokenKey holds it.
	Token, TokenSecret string
	// FailJobExitCodes are the exit codes of surge run that fail the whole
	// Job at once: the verdicts (a failed check, an abort) and the errors
	// a retry cannot mend. The caller owns the table (internal/cli).
	FailJobExitCodes []int32
	// CPU and Memory are each pod's container resources, as Kubernetes
	// quantities ("2", "500m", "1Gi"); empty leaves it unset. Each is
	// both the request and the limit, so that a pod given both is of the
	// Guaranteed class: a generator squeezed by its neighbours on a node
	// would report its own limits as the target's.
	CPU, Memory string
	// OnePodPerNode keeps the pods on different nodes (a required
	// anti-affinity on the node's host name): pods that share a node
	// share its CPU and network, and the test is then one machine's.
	OnePodPerNode bool
	// NodeSelector places the pods on the nodes with these labels.
	NodeSelector map[string]string
	// Run are further surge run flags for every pod, after the pod's own
	// and before the script, each flag and its value a word of their own
	// ("--target", "http://api:8080"). A value that names a file names
	// one of Test.Files, as InPod gives it. They are passed as they are:
	// the caller checks them (surge k8s loads the script with them, as
	// surge run would, before anything is printed).
	Run []string
}

// File is one file the pods need, at a path relative to the script's
// directory (slash-separated).
type File struct {
	Path string
	Data []byte
}

// Test is what Build needs of a script: its file, the payload files it
// reads, and how long its phases last.
type Test struct {
	Script   File // Path is the script's base name
	Payloads []File
	// Files are the further files Options.Run names: config files,
	// an alerts file, a payload given by flag.
	Files  []File
	Length time.Duration
}

// Manifests are the objects of one distributed test, in the order they
// are applied.
type Manifests struct {
	ConfigMap *corev1.ConfigMap
	Secret    *corev1.Secret // nil with Options.TokenSecret
	Service   *corev1.Service
	Job       *batchv1.Job
}

// DefaultDeadlineMargin is Options.DeadlineMargin's default.
const DefaultDeadlineMargin = 10 * time.Minute

// DefaultWait is Options.Wait's default: long enough for pods that wait
// for an image pull or a new node, short enough to fail a Job that cannot
// gather its pods well before its deadline.
const DefaultWait = 5 * time.Minute

func (o Options) wait() time.Duration {
	if o.Wait <= 0 {
		return DefaultWait
	}
	return o.Wait
}

// Build makes the manifests, refusing options and files that could not
// run before anything is printed.
func Build(t Test, o Options) (*Manifests, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	files, err := volumeFiles(t)
	if err != nil {
		return nil, err
	}
	deadline, err := activeDeadline(t.Length+o.wait(), o.DeadlineMargin)
	if err != nil {
		return nil, err
	}
	return &Manifests{
		ConfigMap: configMap(o, files),
		Secret:    secret(o),
		Service:   service(o),
		Job:       job(o, files, deadline),
	}, nil
}

// activeDeadline is the Job's hard stop in whole seconds, rounded up:
// the test's length and the coordinator's wait for the pods, plus the
// margin.
func activeDeadline(length, margin time.Duration) (int64, error) {
	if margin < 0 {
		return 0, fmt.Errorf("the deadline margin %v is negative", margin)
	}
	total := length.Seconds() + margin.Seconds()
	if total > math.MaxInt32 {
		return 0, fmt.Errorf("the test lasts %v: longer than a Job's deadline can say", length)
	}
	return max(int64(math.Ceil(total)), 1), nil
}

// YAML prints the manifests as one multi-document stream for kubectl apply.
func (m *Manifests) YAML() ([]byte, error) {
	var b bytes.Buffer
	objs := []any{m.ConfigMap, m.Service, m.Job}
	if m.Secret != nil {
		objs = []any{m.ConfigMap, m.Secret, m.Service, m.Job}
	}
	for i, obj := range objs {
		out, err := yaml.Marshal(obj)
		if err != nil {
			return nil, err
		}
		if i > 0 {
			b.WriteString("---\n")
		}
		b.Write(out)
	}
	return b.Bytes(), nil
}

// labels mark every object of one test, so that kubectl delete -l
// app.kubernetes.io/instance=NAME removes them together.
func labels(o Options) map[string]string {
	return map[string]string{
		"app.kubernetes.io/name":     "surge",
		"app.kubernetes.io/instance": o.Name,
	}
}

func meta(o Options, name string) metav1.ObjectMeta {
	return metav1.ObjectMeta{Name: name, Namespace: o.Namespace, Labels: labels(o)}
}

// ConfigMapName is the name of the ConfigMap holding the script.
func ConfigMapName(job string) string { return job + "-script" }

var errNoScript = errors.New("no script: surge k8s needs the script's file")

// DefaultName is the name for a script's test: surge- and the script's
// file name without its extension, reduced to a DNS label.
func DefaultName(script string) string {
	base := strings.TrimSuffix(filepath.Base(script), filepath.Ext(script))
	var b strings.Builder
	b.WriteString("surge-")
	for _, r := range strings.ToLower(base) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else if !strings.HasSuffix(b.String(), "-") {
			b.WriteByte('-')
		}
	}
	name := strings.TrimRight(b.String(), "-")
	if len(name) > maxDefaultName {
		name = strings.TrimRight(name[:maxDefaultName], "-")
	}
	return name
}

// maxDefaultName leaves room in a 63-character hostname for "-" and an
// index of up to 5 digits.
const maxDefaultName = 57
