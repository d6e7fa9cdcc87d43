// Package k8se2e holds make test-k8s: the manifests of surge k8s applied
// to a real Kubernetes control plane on loopback — Debian's etcd, a
// kube-apiserver and a kube-controller-manager v1.37.2 built from their Go
// modules by build-control-plane.sh — with a stand-in for the kubelet that
// runs each pod's command as a local surge process.
//
// The tests carry the build tag k8s_e2e, so make test neither builds nor
// runs them. What is real and what is stood in for is listed in
// docs/distributed.md, "Kubernetes".
package k8se2e
