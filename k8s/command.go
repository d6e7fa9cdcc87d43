package k8s

import (
	"fmt"
	"path"

	batchv1 "k8s.io/api/batch/v1"
)

// Paths inside the container. The working directory holds the mounts, so
// the pod's arguments are relative and a stand-in kubelet (test/k8s) can
// run them unchanged in a directory of its own.
const (
	WorkDir       = "/surge"
	ScriptDir     = "script"  // the ConfigMap: the script and its payload files
	ResultsDir    = "results" // each share's results file
	ContainerName = "surge"
	// CoordinatorPort is the port the headless Service names for the pod
	// of index 0: the coordinator's (surge run --listen, on wip/coord).
	CoordinatorPort = 7337
)

// indexVar is the environment variable the Job controller sets in every
// pod to its completion index; the kubelet expands $(VAR) in arguments.
const indexVar = "JOB_COMPLETION_INDEX"

// command is the container's entry point: surge on the image's PATH, so
// that any image with the binary works, whatever its ENTRYPOINT.
func command() []string { return []string{"surge"} }

// args is what every pod runs: its share of the test, chosen by its
// completion index, written to the results directory for surge merge.
//
// TODO(coordinator): once the coordinator (issue 14 item 3, branch
// wip/coord) is merged: index 0 runs --coordinate N --listen
// 0.0.0.0:CoordinatorPort -o results/merged.json, every other index
// --coordinator <job>-0.<service>:CoordinatorPort, each with its
// --segment; off loopback the coordinator requires a token
// (SURGE_COORDINATOR_TOKEN, from a Secret the manifests would add), and
// the Job gains a successPolicy on index 0 (successPolicy below). One pod
// template serves every index, so the per-index flag needs either a shell
// in the image or a flag of surge run that chooses by the index. Until
// then every share must succeed for the Job to complete, and the shares'
// files are merged with surge merge.
func args(o Options, scriptKey string) []string {
	index := "$(" + indexVar + ")"
	return []string{
		"run",
		"--segment", fmt.Sprintf("%s/%d", index, o.Workers),
		"--seed", fmt.Sprint(o.Seed),
		"--output", ResultFile(index),
		path.Join(ScriptDir, scriptKey),
	}
}

// ResultFile is where the share of the given completion index writes its
// results, relative to WorkDir.
func ResultFile(index string) string {
	return path.Join(ResultsDir, "share-"+index+".json")
}

// successPolicy is the Job's: none while each share runs alone, because
// the Job must then wait for every share (a policy on index 0 would end
// the Job, and stop the other shares, as soon as share 0 finished).
//
// TODO(coordinator): with the coordinator, index 0 exits with the merged
// verdict after every share has reported, so the Job is complete when it
// succeeds: Rules: [{SucceededIndexes: "0"}].
func successPolicy() *batchv1.SuccessPolicy { return nil }
