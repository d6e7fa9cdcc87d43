//go:build k8s_e2e

package k8se2e

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"
)

// clusterDomain is the cluster's DNS domain, as the kubelet's
// --cluster-domain says.
const clusterDomain = "cluster.local"

// podHostsEnv tells the test binary, started by the stand-in kubelet as a
// pod's first process in a mount namespace of its own, to bind the pod's
// hosts file over /etc/hosts and exec the container's command: what a
// container runtime does with the hosts file the kubelet writes, and the
// only place a pod's names can be made to resolve without a cluster DNS.
const podHostsEnv = "SURGE_E2E_POD_HOSTS"

// enterPod is the pod's first process: when podHostsEnv is set, it
// mounts the hosts file and execs os.Args[1:], never returning; else it
// returns at once. TestMain calls it first.
func enterPod() {
	hosts := os.Getenv(podHostsEnv)
	if hosts == "" {
		return
	}
	os.Unsetenv(podHostsEnv)
	// The mount namespace was unshared when this process was made
	// (SysProcAttr.Unshareflags), and / made private: the bind mount is
	// this pod's alone.
	if err := syscall.Mount(hosts, "/etc/hosts", "", syscall.MS_BIND, ""); err != nil {
		fmt.Fprintf(os.Stderr, "stand-in kubelet: bind %s over /etc/hosts: %v\n", hosts, err)
		os.Exit(128)
	}
	err := syscall.Exec(os.Args[1], os.Args[1:], os.Environ())
	fmt.Fprintf(os.Stderr, "stand-in kubelet: exec %s: %v\n", os.Args[1], err)
	os.Exit(127)
}

// inPod makes cmd start through enterPod, in a mount namespace of its
// own, with hostsFile as its /etc/hosts.
func inPod(cmd *exec.Cmd, hostsFile string) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	cmd.Args = append([]string{self}, append([]string{cmd.Path}, cmd.Args[1:]...)...)
	cmd.Path = self
	cmd.Env = append(cmd.Env, podHostsEnv+"="+hostsFile)
	cmd.SysProcAttr = &syscall.SysProcAttr{Unshareflags: syscall.CLONE_NEWNS}
	return nil
}

// hostsFile is where the pod's hosts file is kept, beside (not in) its
// working directory.
func (k *kubelet) hostsFile(pod string) string { return filepath.Join(k.root, pod+".hosts") }

// podHosts is a pod's /etc/hosts: localhost and the pod's own names, as
// the kubelet writes it, then records stands for what cluster DNS
// would answer.
func podHosts(pod *corev1.Pod, ip, records string) []byte {
	var b bytes.Buffer
	b.WriteString("# Kubernetes-managed hosts file (the e2e test's stand-in kubelet).\n127.0.0.1\tlocalhost\n::1\tlocalhost\n")
	if pod.Spec.Hostname != "" && pod.Spec.Subdomain != "" {
		fmt.Fprintf(&b, "%s\t%s.%s.%s.svc.%s\t%s\n", ip, pod.Spec.Hostname, pod.Spec.Subdomain, pod.Namespace, clusterDomain, pod.Spec.Hostname)
	}
	b.WriteString(records)
	return b.Bytes()
}

// dnsRecords are the A records cluster DNS serves for the namespace's
// headless Services: each pod a Service selects that has an IP, a
// hostname and the Service as its subdomain (ready, unless the Service
// publishes addresses not ready), under HOST.SERVICE.NS.svc.DOMAIN. Each
// also gets HOST.SERVICE, which in a pod the resolver's search path
// (NS.svc.DOMAIN) completes; a hosts file has no search path.
func dnsRecords(services []corev1.Service, pods []corev1.Pod) string {
	var lines []string
	for _, svc := range services {
		if svc.Spec.ClusterIP != corev1.ClusterIPNone || len(svc.Spec.Selector) == 0 {
			continue
		}
		selector := labels.SelectorFromSet(svc.Spec.Selector)
		for _, pod := range pods {
			if !selector.Matches(labels.Set(pod.Labels)) || pod.Status.PodIP == "" || pod.Spec.Hostname == "" ||
				pod.Spec.Subdomain != svc.Name || !(svc.Spec.PublishNotReadyAddresses || podReady(&pod)) {
				continue
			}
			short := pod.Spec.Hostname + "." + svc.Name
			lines = append(lines, fmt.Sprintf("%s\t%s.%s.svc.%s\t%s\n", pod.Status.PodIP, short, svc.Namespace, clusterDomain, short))
		}
	}
	slices.Sort(lines)
	return strings.Join(lines, "")
}

func podReady(pod *corev1.Pod) bool {
	for _, c := range pod.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

// podIP gives the n-th pod an address of its own on loopback
// (127.1.0.1, 127.1.0.2, …): the pods share this machine's network, so
// what listens on 0.0.0.0 in one is reached at any pod's address.
func podIP(n int) string { return fmt.Sprintf("127.1.%d.%d", n/250, n%250+1) }

// refreshHosts rewrites the hosts file of every running pod whose records
// changed, in place: the bind mount holds the file's inode, and the
// resolver rereads /etc/hosts when it changes, as cluster DNS answers
// with the pods started since.
func (k *kubelet) refreshHosts(pods []corev1.Pod, records string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	for i := range pods {
		p := k.procs[pods[i].Name]
		if p == nil || p.done || p.ip == "" {
			continue
		}
		text := podHosts(&pods[i], p.ip, records)
		if bytes.Equal(text, p.hosts) {
			continue
		}
		if err := os.WriteFile(k.hostsFile(pods[i].Name), text, 0o644); err != nil {
			k.t.Logf("hosts file of %s: %v", pods[i].Name, err)
			continue
		}
		p.hosts = text
	}
}
