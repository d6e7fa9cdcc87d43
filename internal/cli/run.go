package cli

import (
	"github.com/spf13/cobra"
	"github.com/surge-dev/surge/flow"
	"github.com/surge-dev/surge/results"
	"github.com/surge-dev/surge/scenario"
)

type runOptions struct {
	outputOptions
	target   string
	insecure bool
}

func newRunCmd(io IO) *cobra.Command {
	var o runOptions
	cmd := &cobra.Command{
		Use:   "run SCRIPT",
		Short: "Run a test script (Artillery-compatible YAML or JSON)",
		Example: `  surge run load.yml
  surge run -t http://127.0.0.1:8080 --output results.json load.yml`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runScript(cmd, io, args[0], o)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.target, "target", "t", "", "base URL, overriding config.target")
	f.StringVarP(&o.output, "output", "o", "", "write the results JSON to this file")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "print nothing but errors")
	f.BoolVarP(&o.insecure, "insecure", "k", false, "skip TLS certificate verification")
	addMonitorFlags(f, &o.outputOptions)
	return cmd
}

func runScript(cmd *cobra.Command, io IO, path string, o runOptions) error {
	s, err := scenario.Load(path)
	if err != nil {
		return err
	}
	t, err := flow.Compile(s, flow.Options{Target: o.target, Insecure: o.insecure})
	if err != nil {
		return err
	}
	target := s.Config.Target
	if o.target != "" {
		target = o.target
	}
	_, err = execute(cmd.Context(), io, t, results.Test{Script: path, Target: target}, o.outputOptions)
	return err
}
