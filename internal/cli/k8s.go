package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/surge-dev/surge/k8s"
	"github.com/surge-dev/surge/scenario"
)

// DefaultImage is surge k8s's --image default: a placeholder tag to
// replace with the image built from the repository's Containerfile and
// pushed where the cluster pulls from.
const DefaultImage = "surge:dev"

// failJobExitCodes are surge run's exit codes that fail the whole Job at
// once: every way a share can end other than success. (112 and 113 are
// surge compare's.)
var failJobExitCodes = []int32{ExitThresholds, ExitUsage, ExitRunFailed, ExitExpect, ExitAborted, ExitInterrupted}

// failJobCodesText lists failJobExitCodes as the help and the docs say
// them: "1, 2, 3, 21, 111 and 130".
func failJobCodesText() string {
	var codes []string
	for _, c := range failJobExitCodes {
		codes = append(codes, fmt.Sprint(c))
	}
	last := len(codes) - 1
	return strings.Join(codes[:last], ", ") + " and " + codes[last]
}

type k8sOptions struct {
	workers                       int
	image, namespace, name, claim string
	seed                          uint64
	margin                        time.Duration
}

func newK8sCmd(io IO) *cobra.Command {
	var o k8sOptions
	cmd := &cobra.Command{
		Use:   "k8s SCRIPT --workers N",
		Short: "Print the Kubernetes manifests that split a test over N pods (an Indexed Job)",
		Long: fmt.Sprintf(`Print, as YAML for kubectl apply, the objects that run the script split over N
pods: a ConfigMap with the script and the payload files it reads (paths under
the script's directory), a headless Service, and an Indexed Job whose
completion index is each pod's share (surge run --segment INDEX/N). One failed
share fails the Job: the pod failure policy fails it at once on surge run's
exit codes %s, and on a disrupted pod; no share is ever
retried. Nothing is sent to a cluster. See docs/distributed.md, "Kubernetes".

Each share writes results/share-INDEX.json in its pod (an emptyDir, or the
ReadWriteMany claim of --results-claim); surge merge adds them into the test's
results.`, failJobCodesText()),
		Example: `  surge k8s load.yml --workers 8 --image registry.example/surge:1.0 > load.k8s.yaml
  kubectl apply -f load.k8s.yaml
  kubectl wait --for=condition=complete job/surge-load --timeout=30m`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return printManifests(io, args[0], o)
		},
	}
	f := cmd.Flags()
	f.IntVarP(&o.workers, "workers", "w", 0, "pods, each running one equal share of the test (required)")
	f.StringVar(&o.image, "image", DefaultImage, "container image with surge on its PATH (the default is a placeholder: build the Containerfile and push it)")
	f.StringVarP(&o.namespace, "namespace", "n", "", "namespace of every object (default: kubectl's)")
	retireShorthand(f, "namespace", "-n is --requests, as in ab and hey")
	f.StringVar(&o.name, "name", "", "name of the Job and the Service (default: surge-<script name>)")
	f.Uint64Var(&o.seed, "seed", 0, "surge run --seed for every share")
	f.DurationVar(&o.margin, "deadline-margin", k8s.DefaultDeadlineMargin, "time added to the test's length for the Job's activeDeadlineSeconds")
	f.StringVar(&o.claim, "results-claim", "", "a ReadWriteMany PersistentVolumeClaim for the shares' results files (default: an emptyDir in each pod)")
	return cmd
}

func printManifests(io IO, script string, o k8sOptions) error {
	opts := k8s.Options{
		Name: o.name, Namespace: o.namespace, Image: o.image, Workers: o.workers,
		Seed: o.seed, DeadlineMargin: o.margin, ResultsClaim: o.claim,
		FailJobExitCodes: failJobExitCodes,
	}
	if opts.Name == "" {
		opts.Name = k8s.DefaultName(script)
	}
	m, err := k8s.FromScript(script, opts)
	if err != nil {
		if _, ok := scenario.AsErrors(err); ok {
			return err // file:line:col, as surge run prints them
		}
		return usageError("k8s: %v", err)
	}
	out, err := m.YAML()
	if err != nil {
		return runError(err)
	}
	_, err = io.Stdout.Write(out)
	return err
}
