package k8s

import (
	"errors"
	"fmt"
	"github.com/surge-dev/surge/threshold"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"
)

// maxWorkers is the API's limit on an Indexed Job's completions.
const maxWorkers = 100000

func (o Options) validate() error {
	switch {
	case o.Workers < 1:
		return fmt.Errorf("--workers %d: a test needs at least 1 worker", o.Workers)
	case o.Workers > maxWorkers:
		return fmt.Errorf("--workers %d: an Indexed Job has at most %d completions", o.Workers, maxWorkers)
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
	return validateExitCodes(o.FailJobExitCodes)
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
