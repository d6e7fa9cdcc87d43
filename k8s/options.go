package k8s

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/surge-dev/surge/schedule"
	"github.com/surge-dev/surge/threshold"

	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/validation"
)

// maxWorkers is the most pods a test can have: each runs one share, and
// surge run refuses a --segment of more than schedule.MaxShares shares
// (every pod would exit 2). The API's own limit on an Indexed Job's
// completions, 100,000, is above it.
const maxWorkers = schedule.MaxShares

// Validate refuses options the API server or the pods would refuse,
// before any file is read.
func (o Options) Validate() error {
	switch {
	case o.Workers < 1:
		return fmt.Errorf("--workers %d: a test needs at least 1 worker", o.Workers)
	case o.Workers > maxWorkers:
		return fmt.Errorf("--workers %d: a test has at most %d shares (surge run --segment K/N refuses a larger N)", o.Workers, maxWorkers)
	case o.Wait < 0:
		return fmt.Errorf("--wait %v: negative", o.Wait)
	case strings.TrimSpace(o.Image) == "":
		return errors.New("--image is empty: the pods need an image with surge on its PATH")
	}
	if err := o.validateNames(); err != nil {
		return err
	}
	if err := o.validateToken(); err != nil {
		return err
	}
	for _, th := range o.Thresholds {
		if _, err := threshold.Parse(th); err != nil {
			return fmt.Errorf("--threshold: %w", err)
		}
	}
	if err := validateRun(o.Run); err != nil {
		return err
	}
	if err := o.validatePlacement(); err != nil {
		return err
	}
	return validateExitCodes(o.FailJobExitCodes)
}

// ownFlags are the flags of surge run that every pod is given by the Job
// itself (args): Options.Run repeating one would override the share, the
// coordinator or the results' path the manifests rely on.
var ownFlags = []string{"--segment", "--segments", "--coordinator", "--coordinate", "--coordinate-if-first",
	"--listen", "--wait", "--seed", "--output", "-o", "--threshold", "--local", "--coordinator-token"}

// validateRun refuses, in Options.Run, a flag the pods' command line sets
// itself (--seed and --threshold have options of their own).
func validateRun(run []string) error {
	for _, word := range run {
		name, _, _ := strings.Cut(word, "=")
		if slices.Contains(ownFlags, name) {
			return fmt.Errorf("run flag %s: every pod's command line sets it already (see Options)", name)
		}
	}
	return nil
}

// validateNames checks the names the API server would refuse. A pod's
// hostname is <job>-<index>, a DNS label of at most 63 characters.
func (o Options) validateNames() error {
	if errs := validation.IsDNS1123Label(o.Name); len(errs) > 0 {
		return fmt.Errorf("--name %q: %s", o.Name, strings.Join(errs, "; "))
	}
	if host := fmt.Sprintf("%s-%d", o.Name, o.Workers-1); len(host) > validation.DNS1123LabelMaxLength {
		return fmt.Errorf("--name %q: too long; the pods' hostnames (%s) must fit in %d characters", o.Name, host, validation.DNS1123LabelMaxLength)
	}
	if o.Namespace != "" {
		if errs := validation.IsDNS1123Label(o.Namespace); len(errs) > 0 {
			return fmt.Errorf("--namespace %q: %s", o.Namespace, strings.Join(errs, "; "))
		}
	}
	if o.TokenSecret != "" {
		if errs := validation.IsDNS1123Subdomain(o.TokenSecret); len(errs) > 0 {
			return fmt.Errorf("--token-secret %q: %s", o.TokenSecret, strings.Join(errs, "; "))
		}
	}
	if o.ResultsClaim != "" {
		if errs := validation.IsDNS1123Subdomain(o.ResultsClaim); len(errs) > 0 {
			return fmt.Errorf("--results-claim %q: %s", o.ResultsClaim, strings.Join(errs, "; "))
		}
	}
	return nil
}

// validateExitCodes checks what the API asks of an onExitCodes rule with
// the In operator: 1 to 255 codes, none 0, in increasing order.
func validateExitCodes(codes []int32) error {
	switch {
	case len(codes) == 0:
		return errors.New("no exit codes fail the Job: the pod failure policy needs some")
	case len(codes) > 255:
		return fmt.Errorf("%d exit codes fail the Job: at most 255", len(codes))
	case slices.Contains(codes, 0):
		return errors.New("exit code 0 is success: it cannot fail the Job")
	case !slices.IsSorted(codes) || len(slices.Compact(slices.Clone(codes))) != len(codes):
		return fmt.Errorf("exit codes %v: must be increasing, each once", codes)
	}
	return nil
}

// validatePlacement checks the resources and the node selector as the
// API server would: quantities that parse and are positive, label keys
// and values it accepts.
func (o Options) validatePlacement() error {
	for _, q := range []struct{ flag, value string }{{"--pod-cpu", o.CPU}, {"--pod-memory", o.Memory}} {
		if q.value == "" {
			continue
		}
		v, err := resource.ParseQuantity(q.value)
		if err != nil {
			return fmt.Errorf("%s %q: not a Kubernetes quantity (e.g. 2, 500m, 1Gi): %v", q.flag, q.value, err)
		}
		if v.Sign() <= 0 {
			return fmt.Errorf("%s %q: must be positive", q.flag, q.value)
		}
	}
	for key, value := range o.NodeSelector {
		if errs := validation.IsQualifiedName(key); len(errs) > 0 {
			return fmt.Errorf("--node-selector %s=%s: the key: %s", key, value, strings.Join(errs, "; "))
		}
		if errs := validation.IsValidLabelValue(value); len(errs) > 0 {
			return fmt.Errorf("--node-selector %s=%s: the value: %s", key, value, strings.Join(errs, "; "))
		}
	}
	return nil
}
