package k8s

import (
	"fmt"
	"net"
	"path"
	"strconv"
	"strings"

	batchv1 "k8s.io/api/batch/v1"
	"k8s.io/utils/ptr"
)

// Paths inside the container. The working directory holds the mounts, so
// the pod's arguments are relative and a stand-in kubelet (test/k8s) can
// run them unchanged in a directory of its own.
const (
	WorkDir       = "/surge"
	ScriptDir     = "script"  // the ConfigMap: the script and its payload files
	ResultsDir    = "results" // where index 0 writes the merged results
	ContainerName = "surge"
	// CoordinatorPort is where the pod of index 0 listens for the others
	// (surge run --listen), the port the headless Service names.
	CoordinatorPort = 7337
	// MergedFile is the merged results of the whole test, written by the
	// pod of index 0, relative to WorkDir.
	MergedFile = ResultsDir + "/merged.json"
)

// indexVar is the environment variable the Job controller sets in every
// pod to its completion index; the kubelet expands $(VAR) in arguments.
const indexVar = "JOB_COMPLETION_INDEX"

// command is the container's entry point: surge on the image's PATH, so
// that any image with the binary works, whatever its ENTRYPOINT.
func command() []string { return []string{"surge"} }

// args is what every pod runs: its share of the test, chosen by its
// completion index. One pod template serves every index and the image
// needs no shell, so surge run chooses the role by the share
// (--coordinate-if-first): index 0 listens on CoordinatorPort, runs share
// 0, coordinates the others, writes the merged results and exits with the
// whole test's verdict; every other index is a worker of index 0, reached
// through the headless Service, and exits with the same verdict. The
// token comes from the environment (tokenEnv), never the command line.
// Thresholds go to every pod alike, as one pod template requires; index
// 0 judges them on the merged seconds. So do the flags of Options.Run,
// which shape the test every share is cut from.
func args(o Options, scriptKey string) []string {
	index := "$(" + indexVar + ")"
	out := []string{
		"run",
		"--segment", fmt.Sprintf("%s/%d", index, o.Workers),
		"--coordinator", CoordinatorAddr(o.Name),
		"--coordinate-if-first",
		"--listen", listenAddr(),
		"--wait", o.wait().String(),
		"--seed", fmt.Sprint(o.Seed),
		"--output", MergedFile,
	}
	for _, th := range o.Thresholds {
		out = append(out, "--threshold", literal(th))
	}
	for _, word := range o.Run {
		out = append(out, literal(word))
	}
	return append(out, literal(path.Join(ScriptDir, scriptKey)))
}

// literal escapes a word of the caller's for a container's args, where
// the kubelet reads $$ as $ and replaces $(VAR) by the pod's variable
// (the completion index, the token). Unescaped, a value holding a $ (a
// price in -v, a password in --overrides) would reach surge run changed,
// and not be the test surge k8s checked; with every $ doubled it arrives
// as written. Only the index in --segment is meant to be expanded.
func literal(word string) string { return strings.ReplaceAll(word, "$", "$$") }

// listenAddr is where index 0 listens: every address of its pod, IPv4
// and IPv6 (a cluster may be IPv6 only).
func listenAddr() string { return net.JoinHostPort("", strconv.Itoa(CoordinatorPort)) }

// CoordinatorAddr is where the pods reach index 0: its name under the
// headless Service (the Service has the Job's name), which the pods'
// DNS search path completes with the namespace.
func CoordinatorAddr(job string) string {
	return net.JoinHostPort(PodHost(job, 0)+"."+job, strconv.Itoa(CoordinatorPort))
}

// PodHost is the hostname the Job controller gives the pod of an index.
func PodHost(job string, index int) string { return fmt.Sprintf("%s-%d", job, index) }

// successPolicy ends the Job as complete once index 0 has succeeded: the
// coordinator exits only after every share has sent its results, with the
// whole test's verdict, so its success is the test's (a worker that is
// still finishing is then stopped by the Job controller, its part done).
func successPolicy() *batchv1.SuccessPolicy {
	return &batchv1.SuccessPolicy{Rules: []batchv1.SuccessPolicyRule{{SucceededIndexes: ptr.To("0")}}}
}
