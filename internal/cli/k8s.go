package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/surge-dev/surge/k8s"
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
	tokenSecret                   string
	seed                          uint64
	thresholds                    []string
	margin, wait                  time.Duration
	podCPU, podMemory             string
	onePodPerNode                 bool
	nodeSelector                  []string   // KEY=VALUE
	run                           runOptions // surge run's flags for every pod (k8s_run.go)
}

func newK8sCmd(io IO) *cobra.Command {
	var o k8sOptions
	cmd := &cobra.Command{
		Use:   "k8s SCRIPT --workers N",
		Short: "Print the Kubernetes manifests that split a test over N pods (an Indexed Job)",
		Long: fmt.Sprintf(`Print, as YAML for kubectl apply, the objects that run the script split over N
pods: a ConfigMap with the script and the payload files it reads (paths under
the script's directory), a Secret with a random token for the coordinator
(or --token-secret: an existing one, key "token"), a headless Service, and an
Indexed Job whose completion index is each pod's share. Every pod runs
surge run --segment INDEX/N --coordinate-if-first: index 0 coordinates (it
listens on port 7337, runs share 0, waits --wait for the others, writes the
merged results/merged.json and exits with the whole test's verdict), the
others are its workers, reaching it as NAME-0.NAME through the Service. The
Job is complete once index 0 has succeeded (its success policy); the pod
failure policy fails it at once on surge run's exit codes
%s, and on a disrupted pod; no share is ever retried.
Nothing is sent to a cluster, and the printed Secret holds the token. See
docs/distributed.md, "Kubernetes".

surge run's flags that shape the test (-t, -e, -i, -c, -p, -v, --overrides,
--scenario-name, -u, -r, --spawn-rate, -d, --expect-status, -k, --alerts) and
--prometheus-remote-write and --prometheus-label are passed to every pod; the
load flags set the whole test, which the pods share. The script is loaded with
them here, as surge run would, so the Job's deadline follows -d and what the
pods would refuse is exit 2 before anything is printed; the files they name
are shipped beside the script and must lie under its directory.`, failJobCodesText()),
		Example: `  surge k8s load.yml --workers 8 --image registry.example/surge:1.0 > load.k8s.yaml
  surge k8s load.yml -w 8 --image registry.example/surge:1.0 -t http://api.shop:8080 -u 800 -d 10m > load.k8s.yaml
  kubectl apply -f load.k8s.yaml
  kubectl wait --for=condition=complete job/surge-load --timeout=30m
  kubectl logs -l batch.kubernetes.io/job-name=surge-load,batch.kubernetes.io/job-completion-index=0 --tail=-1
                                       # index 0: the merged summary and the verdict`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return printManifests(cmd, io, args[0], o)
		},
	}
	f := cmd.Flags()
	f.IntVarP(&o.workers, "workers", "w", 0, "pods, each running one equal share of the test (required)")
	f.StringVar(&o.image, "image", DefaultImage, "container image with surge on its PATH (the default is a placeholder: build the Containerfile and push it)")
	f.StringVarP(&o.namespace, "namespace", "n", "", "namespace of every object (default: kubectl's)")
	retireShorthand(f, "namespace", "-n is --requests, as in ab and hey")
	f.StringVar(&o.name, "name", "", "name of the Job and the Service (default: surge-<script name>)")
	f.Uint64Var(&o.seed, "seed", 0, "surge run --seed for every share")
	f.StringArrayVar(&o.thresholds, "threshold", nil, "surge run --threshold for every pod (repeatable): index 0 judges it on the whole test's "+
		"merged seconds, and the Job fails on a failed one")
	f.DurationVar(&o.margin, "deadline-margin", k8s.DefaultDeadlineMargin, "time added to the test's length for the Job's activeDeadlineSeconds")
	f.StringVar(&o.claim, "results-claim", "", "a PersistentVolumeClaim mounted at results/ in every pod, where index 0 writes merged.json (default: an emptyDir in each pod)")
	f.DurationVar(&o.wait, "wait", k8s.DefaultWait, "how long the coordinator (index 0) waits for every pod's share to be ready, and a worker for the coordinator; added to activeDeadlineSeconds")
	f.StringVar(&o.tokenSecret, "token-secret", "", "use this existing Secret's key \"token\" (at least 16 characters) as the coordinator's token instead of printing a Secret with a random one")
	f.StringVar(&o.podCPU, "pod-cpu", "", "CPU of each pod, a Kubernetes quantity (2, 500m): its request and its limit, so a pod given memory too is Guaranteed and not squeezed by its neighbours")
	f.StringVar(&o.podMemory, "pod-memory", "", "memory of each pod, a Kubernetes quantity (512Mi, 1Gi): its request and its limit")
	f.BoolVar(&o.onePodPerNode, "one-pod-per-node", false, "keep the pods on different nodes (required anti-affinity): pods sharing a node share its CPU and network")
	f.StringArrayVar(&o.nodeSelector, "node-selector", nil, "KEY=VALUE: run the pods on the nodes with this label (repeatable)")
	addPodRunFlags(f, &o.run)
	return cmd
}

// parseNodeSelector reads --node-selector's KEY=VALUE pairs; a key given
// twice is refused rather than silently overridden.
func parseNodeSelector(pairs []string) (map[string]string, error) {
	if len(pairs) == 0 {
		return nil, nil
	}
	out := map[string]string{}
	for _, p := range pairs {
		key, value, ok := strings.Cut(p, "=")
		if !ok {
			return nil, usageError("k8s: --node-selector %q: want KEY=VALUE", p)
		}
		if _, twice := out[key]; twice {
			return nil, usageError("k8s: --node-selector: the key %s is given twice", key)
		}
		out[key] = value
	}
	return out, nil
}

func printManifests(cmd *cobra.Command, io IO, script string, o k8sOptions) error {
	opts := k8s.Options{
		Name: o.name, Namespace: o.namespace, Image: o.image, Workers: o.workers,
		Seed: o.seed, Thresholds: o.thresholds, DeadlineMargin: o.margin, ResultsClaim: o.claim, Wait: o.wait,
		TokenSecret: o.tokenSecret, FailJobExitCodes: failJobExitCodes,
		CPU: o.podCPU, Memory: o.podMemory, OnePodPerNode: o.onePodPerNode,
	}
	selector, err := parseNodeSelector(o.nodeSelector)
	if err != nil {
		return err
	}
	opts.NodeSelector = selector
	if opts.TokenSecret == "" {
		opts.Token = k8s.NewToken()
	}
	if opts.Name == "" {
		opts.Name = k8s.DefaultName(script)
	}
	if err := opts.Validate(); err != nil {
		return usageError("k8s: %v", err) // the flags first: they are cheaper to fix
	}
	m, err := podTest(cmd, io, script, o, opts)
	if err != nil {
		return err
	}
	out, err := m.YAML()
	if err != nil {
		return runError(err)
	}
	_, err = io.Stdout.Write(out)
	return err
}
