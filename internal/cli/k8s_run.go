package cli

import (
	"fmt"
	stdio "io"
	"net/url"
	"strconv"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/surge-dev/surge/judge"
	"github.com/surge-dev/surge/k8s"
	"github.com/surge-dev/surge/scenario"
	"github.com/surge-dev/surge/session"
)

// podFlags are the flags of surge run that surge k8s passes to every pod,
// in the order the pods are given them: what shapes the test every share
// is cut from, and where the pods push their metrics. --dotenv is not
// among them: its values would be printed in a ConfigMap.
var podFlags = []string{"target", "environment", "input", "config", "payload", "variables", "overrides",
	"scenario-name", "users", "rate", "spawn-rate", "duration", "expect-status", "insecure", "alerts",
	"prometheus-remote-write", "prometheus-label"}

// podFileFlags name files, which are shipped in the ConfigMap.
var podFileFlags = map[string]bool{"input": true, "config": true, "payload": true, "alerts": true}

// addPodRunFlags adds podFlags with surge run's own help.
func addPodRunFlags(f *pflag.FlagSet, o *runOptions) {
	addScriptFlags(f, o)
	addChoiceFlags(f, &o.artilleryFlags)
	addLoadFlags(f, &o.load)
	addExpectFlag(f, &o.expect)
	addAlertsFlag(f, &o.ruleOptions)
	addRemoteWriteFlags(f, &o.outputOptions)
}

// podTest loads the script with the pods' flags as surge run would, so
// that what the pods would refuse is refused before anything is printed,
// and the Job's deadline follows the phases the flags make; then it
// builds the manifests, shipping the files the flags name.
func podTest(cmd *cobra.Command, io IO, script string, o k8sOptions, opts k8s.Options) (*k8s.Manifests, error) {
	run := o.run
	if err := checkPodTarget(run.target); err != nil {
		return nil, err
	}
	data, err := scenario.ReadScript(script)
	if err != nil {
		return nil, err
	}
	run.load.record(cmd.Flags())
	quiet := IO{Stdout: stdio.Discard, Stderr: io.Stderr} // stdout is the manifests
	s, p, err := assembleScript(quiet, []string{script}, data, run, "k8s", nil)
	if err != nil {
		return nil, err
	}
	if err := checkPodRules(s, p.Test.Endpoints, o.thresholds, run); err != nil {
		return nil, err
	}
	files, args, err := podArgs(cmd.Flags(), s)
	if err != nil {
		return nil, err
	}
	opts.Run = args
	m, err := k8s.FromParsed(s, data, opts, files...)
	if err != nil {
		return nil, usageError("k8s: %v", err)
	}
	return m, nil
}

// checkPodTarget refuses credentials in --target: the pods' arguments
// are readable by whoever may read the Job (kubectl describe), unlike a
// Secret.
func checkPodTarget(target string) error {
	if u, err := url.Parse(target); err == nil && u.User != nil {
		return usageError("k8s: --target holds credentials, and the pods' arguments are readable by whoever may read the Job: " +
			"send them from the script instead (an Authorization header)")
	}
	return nil
}

// checkPodRules checks what surge run checks of its rules and metrics
// flags before any load: thresholds and alerts that parse and watch
// endpoints the test has, remote-write flags that make sense.
func checkPodRules(s *scenario.Script, endpoints, thresholds []string, run runOptions) error {
	run.ruleOptions.thresholds = thresholds
	ths, alerts, err := parseRules(run.ruleOptions, scenario.Alerts{Alerts: s.Config.Alerts, Notifiers: s.Config.Notifiers})
	if err != nil {
		return err
	}
	rules := judge.Rules{Thresholds: ths, Alerts: alerts.Alerts}
	if err := rules.CheckEndpoints(session.RecordedEndpoints(endpoints)); err != nil {
		return usageError("%v", err)
	}
	return checkPrometheusFlags(run.outputOptions)
}

// podArgs turns the pod flags the command line set into words for every
// pod's surge run, each file flag's value the shipped file's path in the
// pod, and returns those files.
func podArgs(f *pflag.FlagSet, s *scenario.Script) ([]k8s.File, []string, error) {
	var files []k8s.File
	var args []string
	for _, name := range podFlags {
		fl := f.Lookup(name)
		if !fl.Changed {
			continue
		}
		for _, v := range flagValues(fl) {
			if podFileFlags[name] {
				file, err := k8s.ScriptFile(s, v, fmt.Sprintf("--%s %s", name, v))
				if err != nil {
					return nil, nil, usageError("k8s: %v", err)
				}
				files, v = append(files, file), k8s.InPod(file)
			}
			args = append(args, "--"+name)
			if fl.Value.Type() != "bool" {
				args = append(args, v)
			}
		}
	}
	return files, args, nil
}

// flagValues are a set flag's values as surge run parses them back:
// each of a repeatable flag's, numbers without exponents.
func flagValues(fl *pflag.Flag) []string {
	switch v := flagValue(fl).(type) {
	case pflag.SliceValue:
		return v.GetSlice()
	case rateFlag:
		return []string{strconv.FormatFloat(*v.rate, 'f', -1, 64)}
	}
	if fl.Value.Type() == "float64" {
		x, _ := strconv.ParseFloat(fl.Value.String(), 64)
		return []string{strconv.FormatFloat(x, 'f', -1, 64)}
	}
	return []string{fl.Value.String()}
}
