package scenario

import (
	"errors"
	"fmt"
	"os"
	"strings"

	yaml "go.yaml.in/yaml/v4"
)

// Load reads and parses the script at path.
func Load(path string) (*Script, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &Error{File: path, Msg: fmt.Sprintf("cannot read script: %v", err)}
	}
	return Parse(path, data)
}

// Parse parses a script's text; file names it in errors. The error, if
// any, is an Errors value listing every problem found.
func Parse(file string, data []byte) (*Script, error) {
	root, err := parseYAML(file, data)
	if err != nil {
		return nil, err
	}
	d := &decoder{file: file}
	s := &Script{File: file}
	d.script(root, s)
	if len(d.errs) > 0 {
		return nil, d.errs
	}
	return s, nil
}

// parseYAML turns syntax errors into positioned script errors.
func parseYAML(file string, data []byte) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Load(data, &doc, yaml.WithUniqueKeys()); err != nil {
		return nil, yamlErrors(file, err)
	}
	root := resolve(&doc)
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = resolve(root.Content[0])
	}
	if root.Kind == 0 || (root.Kind == yaml.DocumentNode && len(root.Content) == 0) {
		return nil, Errors{{File: file, Msg: "the script is empty: expected config and scenarios"}}
	}
	return root, nil
}

func yamlErrors(file string, err error) error {
	if strings.Contains(err.Error(), "no documents in stream") {
		return Errors{{File: file, Msg: "the script is empty: expected config and scenarios"}}
	}
	var les *yaml.LoadErrors
	if errors.As(err, &les) {
		var out Errors
		for _, le := range les.Errors {
			out = append(out, loadError(file, le))
		}
		return out
	}
	var le *yaml.LoadError
	if errors.As(err, &le) {
		return Errors{loadError(file, le)}
	}
	return Errors{{File: file, Msg: err.Error()}}
}

// loadError keeps where a broken construct started, which is usually
// where the mistake is (an unclosed quote, say), beside where the parser
// gave up.
func loadError(file string, le *yaml.LoadError) *Error {
	msg := le.Message
	if le.ContextMsg != "" && le.ContextMark.Line > 0 {
		msg = fmt.Sprintf("%s (%s started at %d:%d)", msg, le.ContextMsg, le.ContextMark.Line, le.ContextMark.Column)
	}
	return &Error{File: file, Pos: Pos{le.Mark.Line, le.Mark.Column}, Msg: msg}
}

func (d *decoder) script(n *yaml.Node, s *Script) {
	seen := map[string]bool{}
	d.mapping(n, "script", map[string]field{
		"config": func(_, v *yaml.Node) { seen["config"] = true; d.config(v, &s.Config) },
		"scenarios": func(_, v *yaml.Node) {
			seen["scenarios"] = true
			d.sequence(v, "scenarios", func(i int, item *yaml.Node) {
				s.Scenarios = append(s.Scenarios, d.scenario(item, fmt.Sprintf("scenarios[%d]", i)))
			})
		},
	})
	if n.Kind == yaml.MappingNode && !seen["scenarios"] {
		d.errorf(n, "script: missing scenarios: expected a list of scenarios with a flow")
	}
}
