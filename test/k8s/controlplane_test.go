//go:build k8s_e2e

package k8se2e

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
)

// adminToken authenticates the test and the controller manager as a
// member of system:masters (a static token file: no client certificates
// to issue).
const adminToken = "surge-e2e-admin-token"

// controlPlane is etcd, kube-apiserver and kube-controller-manager running
// the Job controller, all on 127.0.0.1.
type controlPlane struct {
	dir    string
	config *rest.Config
	client kubernetes.Interface
}

// binDir is where build-control-plane.sh left the binaries.
func binDir(t *testing.T) string {
	dir := os.Getenv("SURGE_K8S_BIN")
	if dir == "" {
		home, _ := os.UserHomeDir()
		dir = filepath.Join(home, ".cache", "surge-k8s", "v1.37.2")
	}
	for _, b := range []string{"kube-apiserver", "kube-controller-manager"} {
		if _, err := os.Stat(filepath.Join(dir, b)); err != nil {
			t.Fatalf("%s: %v; build it with test/k8s/build-control-plane.sh (make test-k8s does)", b, err)
		}
	}
	if _, err := exec.LookPath("etcd"); err != nil {
		t.Fatalf("etcd: %v; install Debian's etcd-server (see docs/distributed.md)", err)
	}
	return dir
}

func startControlPlane(t *testing.T) *controlPlane {
	bins := binDir(t)
	cp := &controlPlane{dir: t.TempDir()}
	pki := writePKI(t, cp.dir)
	etcd := startEtcd(t, cp.dir)
	apiPort := freePort(t)
	start(t, cp.dir, "kube-apiserver", filepath.Join(bins, "kube-apiserver"),
		"--etcd-servers="+etcd, "--bind-address=127.0.0.1", "--advertise-address=127.0.0.1",
		"--secure-port="+strconv.Itoa(apiPort), "--tls-cert-file="+pki.serverCert, "--tls-private-key-file="+pki.serverKey,
		// The default reconciler refuses a loopback advertise address.
		"--endpoint-reconciler-type=none",
		"--token-auth-file="+pki.tokens, "--authorization-mode=RBAC",
		"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
		"--service-account-key-file="+pki.saKey, "--service-account-signing-key-file="+pki.saKey,
		"--service-cluster-ip-range=10.96.0.0/24",
		// No ServiceAccount controller runs to create default accounts.
		"--disable-admission-plugins=ServiceAccount", "--enable-priority-and-fairness=false")
	cp.config = &rest.Config{Host: fmt.Sprintf("https://127.0.0.1:%d", apiPort), BearerToken: adminToken,
		TLSClientConfig: rest.TLSClientConfig{CAFile: pki.caCert}, QPS: 100, Burst: 200}
	var err error
	if cp.client, err = kubernetes.NewForConfig(cp.config); err != nil {
		t.Fatal(err)
	}
	cp.waitReady(t)
	kubeconfig := writeKubeconfig(t, cp.dir, cp.config.Host, pki.caCert)
	start(t, cp.dir, "kube-controller-manager", filepath.Join(bins, "kube-controller-manager"),
		"--kubeconfig="+kubeconfig, "--controllers=job", "--leader-elect=false",
		"--bind-address=127.0.0.1", "--secure-port="+strconv.Itoa(freePort(t)), "--cert-dir="+filepath.Join(cp.dir, "kcm-certs"))
	return cp
}

func startEtcd(t *testing.T, dir string) string {
	client := fmt.Sprintf("http://127.0.0.1:%d", freePort(t))
	peer := fmt.Sprintf("http://127.0.0.1:%d", freePort(t))
	start(t, dir, "etcd", "etcd", "--name=e2e", "--data-dir="+filepath.Join(dir, "etcd"),
		"--listen-client-urls="+client, "--advertise-client-urls="+client,
		"--listen-peer-urls="+peer, "--initial-advertise-peer-urls="+peer, "--initial-cluster=e2e="+peer)
	return client
}

// waitReady polls /readyz: the API server is up once etcd is reachable
// and its bootstrap controllers have run.
func (cp *controlPlane) waitReady(t *testing.T) {
	began := time.Now()
	deadline := began.Add(3 * time.Minute)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, err := cp.client.Discovery().RESTClient().Get().AbsPath("/readyz").DoRaw(ctx)
		cancel()
		if err == nil {
			t.Logf("kube-apiserver ready in %v", time.Since(began).Round(time.Millisecond))
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("kube-apiserver not ready after 3 min: %v (log: %s)", err, filepath.Join(cp.dir, "kube-apiserver.log"))
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// start runs a process with its output in DIR/NAME.log and stops it at the
// end of the test: SIGTERM, then SIGKILL after 10 s.
func start(t *testing.T, dir, name, bin string, args ...string) {
	log, err := os.Create(filepath.Join(dir, name+".log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
		log.Close()
	})
}

// freePort asks the kernel for a loopback port nobody holds.
func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func writeKubeconfig(t *testing.T, dir, server, ca string) string {
	path := filepath.Join(dir, "admin.kubeconfig")
	text := fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: e2e
  cluster: {server: %q, certificate-authority: %q}
users:
- name: admin
  user: {token: %q}
contexts:
- name: e2e
  context: {cluster: e2e, user: admin}
current-context: e2e
`, server, ca, adminToken)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
