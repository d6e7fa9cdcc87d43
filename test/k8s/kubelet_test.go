//go:build k8s_e2e

package k8se2e

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/util/retry"
	"k8s.io/utils/ptr"
)

// kubelet stands in for a node's kubelet: it binds the namespace's
// pending pods to its Node (what the scheduler would do, through the same
// binding API), runs each pod's one container as a local process — the
// ConfigMap and emptyDir volumes as directories under the pod's own
// working directory, the environment resolved as the kubelet resolves it
// (values, fieldRefs, Secrets' keys), $(VAR) expanded in the command line,
// an address of its own on loopback, and in a mount namespace of its own
// an /etc/hosts holding the pod's names and the records cluster DNS would
// serve for the headless Services (hosts_test.go) — writes the pod's
// status (Running with its IP, then Succeeded or Failed with the exit
// code), SIGTERMs the process when the pod is deleted, and finishes the
// deletion as a kubelet does.
type kubelet struct {
	t         *testing.T
	client    kubernetes.Interface
	node, ns  string
	root, bin string // pods' directories; the directory of the commands

	mu      sync.Mutex
	procs   map[string]*proc // by pod name
	exits   chan exited
	started int // pods started, for their addresses
}

type proc struct {
	cmd        *exec.Cmd
	started    metav1.Time
	ip         string
	hosts      []byte // the hosts file as last written
	terminated bool   // SIGTERM sent
	done       bool
}

type exited struct {
	pod  string
	code int
}

func newKubelet(t *testing.T, client kubernetes.Interface, ns, bin string) *kubelet {
	k := &kubelet{t: t, client: client, node: "surge-e2e-node", ns: ns, root: t.TempDir(), bin: bin,
		procs: map[string]*proc{}, exits: make(chan exited, 64)}
	node := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: k.node}}
	if _, err := client.CoreV1().Nodes().Create(context.Background(), node, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
		t.Fatal(err)
	}
	return k
}

// podDir is the working directory of a pod's container.
func (k *kubelet) podDir(pod string) string { return filepath.Join(k.root, pod) }

// run syncs every 100 ms until ctx ends, then kills what still runs.
func (k *kubelet) run(ctx context.Context) {
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			k.killAll()
			return
		case e := <-k.exits:
			k.finish(ctx, e)
		case <-tick.C:
			k.sync(ctx)
		}
	}
}

func (k *kubelet) sync(ctx context.Context) {
	pods, err := k.client.CoreV1().Pods(k.ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		return // the next tick retries
	}
	services, err := k.client.CoreV1().Services(k.ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		return
	}
	records := dnsRecords(services.Items, pods.Items)
	for i := range pods.Items {
		pod := &pods.Items[i]
		switch {
		case pod.DeletionTimestamp != nil:
			k.deleting(ctx, pod)
		case pod.Spec.NodeName == "":
			k.bind(ctx, pod)
		case pod.Spec.NodeName == k.node && pod.Status.Phase == corev1.PodPending && k.procs[pod.Name] == nil:
			k.start(ctx, pod, records)
		}
	}
	k.refreshHosts(pods.Items, records)
}

func (k *kubelet) bind(ctx context.Context, pod *corev1.Pod) {
	b := &corev1.Binding{ObjectMeta: metav1.ObjectMeta{Name: pod.Name, Namespace: pod.Namespace},
		Target: corev1.ObjectReference{Kind: "Node", Name: k.node}}
	if err := k.client.CoreV1().Pods(k.ns).Bind(ctx, b, metav1.CreateOptions{}); err != nil && !apierrors.IsConflict(err) {
		k.t.Logf("bind %s: %v", pod.Name, err)
	}
}

// deleting SIGTERMs the pod's process once; when it has ended (or never
// ran) the pod is deleted at once, as the kubelet confirms a deletion.
func (k *kubelet) deleting(ctx context.Context, pod *corev1.Pod) {
	k.mu.Lock()
	p := k.procs[pod.Name]
	if p != nil && !p.done && !p.terminated {
		p.terminated = true
		p.cmd.Process.Signal(syscall.SIGTERM)
	}
	running := p != nil && !p.done
	k.mu.Unlock()
	if running {
		return
	}
	err := k.client.CoreV1().Pods(k.ns).Delete(ctx, pod.Name, metav1.DeleteOptions{GracePeriodSeconds: ptr.To(int64(0))})
	if err != nil && !apierrors.IsNotFound(err) {
		k.t.Logf("delete %s: %v", pod.Name, err)
	}
}

func (k *kubelet) start(ctx context.Context, pod *corev1.Pod, records string) {
	k.mu.Lock()
	p := &proc{started: metav1.Now(), ip: podIP(k.started)}
	k.started++
	p.hosts = podHosts(pod, p.ip, records)
	k.procs[pod.Name] = p
	k.mu.Unlock()
	cmd, err := k.command(ctx, pod, p.hosts)
	p.cmd = cmd
	if err == nil {
		err = cmd.Start()
	}
	if err != nil {
		k.t.Logf("pod %s cannot start: %v", pod.Name, err)
		p.done = true
		k.setStatus(ctx, pod.Name, terminated(p.started, 128, "StartError"))
		return
	}
	go func() {
		cmd.Wait()
		k.exits <- exited{pod: pod.Name, code: exitCode(cmd.ProcessState)}
	}()
	k.setStatus(ctx, pod.Name, running(p.started, p.ip))
}

// exitCode is the container runtime's: 128 + the signal that ended it.
func exitCode(ps *os.ProcessState) int {
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return ps.ExitCode()
}

func (k *kubelet) finish(ctx context.Context, e exited) {
	k.mu.Lock()
	p := k.procs[e.pod]
	p.done = true
	k.mu.Unlock()
	reason := "Completed"
	if e.code != 0 {
		reason = "Error"
	}
	k.setStatus(ctx, e.pod, terminated(p.started, int32(e.code), reason))
}

func (k *kubelet) killAll() {
	k.mu.Lock()
	defer k.mu.Unlock()
	for _, p := range k.procs {
		if !p.done && p.cmd != nil && p.cmd.Process != nil {
			p.cmd.Process.Kill()
		}
	}
}

// setStatus writes the pod's status, retrying on conflicts with the Job
// controller's writes.
func (k *kubelet) setStatus(ctx context.Context, name string, set func(*corev1.PodStatus)) {
	err := retry.RetryOnConflict(retry.DefaultRetry, func() error {
		pod, err := k.client.CoreV1().Pods(k.ns).Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return err
		}
		set(&pod.Status)
		_, err = k.client.CoreV1().Pods(k.ns).UpdateStatus(ctx, pod, metav1.UpdateOptions{})
		return err
	})
	if err != nil && !apierrors.IsNotFound(err) && !errors.Is(err, context.Canceled) {
		k.t.Logf("status of %s: %v", name, err)
	}
}

func running(started metav1.Time, ip string) func(*corev1.PodStatus) {
	return func(s *corev1.PodStatus) {
		s.Phase, s.StartTime = corev1.PodRunning, &started
		s.PodIP, s.PodIPs = ip, []corev1.PodIP{{IP: ip}}
		s.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue, LastTransitionTime: started}}
		s.ContainerStatuses = []corev1.ContainerStatus{{Name: "surge", Ready: true, Started: ptr.To(true),
			State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: started}}}}
	}
}

func terminated(started metav1.Time, code int32, reason string) func(*corev1.PodStatus) {
	return func(s *corev1.PodStatus) {
		now := metav1.Now()
		s.Phase = corev1.PodSucceeded
		if code != 0 {
			s.Phase = corev1.PodFailed
		}
		s.StartTime = &started
		s.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionFalse, LastTransitionTime: now}}
		s.ContainerStatuses = []corev1.ContainerStatus{{Name: "surge", Started: ptr.To(false),
			State: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{
				ExitCode: code, Reason: reason, StartedAt: started, FinishedAt: now}}}}
	}
}

// describe is one line per pod: its index, phase and exit code.
func (k *kubelet) describe(ctx context.Context, selector string) string {
	pods, err := k.client.CoreV1().Pods(k.ns).List(ctx, metav1.ListOptions{LabelSelector: selector})
	if err != nil {
		return err.Error()
	}
	out := ""
	for _, p := range pods.Items {
		code := ""
		if cs := p.Status.ContainerStatuses; len(cs) == 1 && cs[0].State.Terminated != nil {
			code = fmt.Sprintf(" exit %d", cs[0].State.Terminated.ExitCode)
		}
		out += fmt.Sprintf("  %s index %s %s%s\n", p.Name, p.Labels["batch.kubernetes.io/job-completion-index"], p.Status.Phase, code)
	}
	return out
}
