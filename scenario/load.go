package scenario

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/surge-dev/surge/internal/fileinput"
	"github.com/surge-dev/surge/templating"
	yaml "go.yaml.in/yaml/v4"
)

// Options assemble a script the way artillery run's flags do. The zero
// value loads the script as written.
type Options struct {
	Environment string   // -e: merge config.environments.<name> over config
	Target      string   // -t: replaces config.target
	ConfigFiles []string // --config (and more script files): merged after the script, in order
	Payload     string   // -p: CSV for a config.payload that has no path
	Overrides   string   // --overrides: JSON object merged over the whole script
	Variables   string   // -v: JSON object of config variables
	// Environ backs $env and $processEnvironment in config templates; nil
	// means the process environment.
	Environ func(string) (string, bool)
	TestID  string // $testId
	// Solo (--solo) runs one VU: the phases are replaced by Artillery's
	// default, one arrival.
	Solo bool
}

// MaxScriptBytes bounds a script or config file: scripts are a few
// kilobytes, and the whole file is parsed in memory.
const MaxScriptBytes = 16 << 20

// Load reads and parses the script at path.
func Load(path string) (*Script, error) { return LoadWith(path, Options{}) }

// LoadWith reads the script at path and assembles it with the options.
func LoadWith(path string, o Options) (*Script, error) {
	data, err := ReadScript(path)
	if err != nil {
		return nil, err
	}
	return ParseWith(path, data, o)
}

// ReadScript reads a script's text, bounded by MaxScriptBytes; a stream
// (a pipe, a FIFO) is read once, so a caller that needs the text as well
// as the script (surge k8s ships it) reads it here and calls ParseWith.
func ReadScript(path string) ([]byte, error) {
	data, err := fileinput.Read(path, MaxScriptBytes, fileinput.Streams)
	if err != nil {
		return nil, &Error{File: path, Msg: fmt.Sprintf("cannot read script: %v", err)}
	}
	return data, nil
}

// Parse parses a script's text; file names it in errors. The error, if
// any, is an Errors value listing every problem found.
func Parse(file string, data []byte) (*Script, error) { return ParseWith(file, data, Options{}) }

// ParseWith parses a script's text and assembles it with the options, in
// Artillery's order: merge the files, apply the environment, the target
// and the payload, then --overrides, then -v, then render the config
// templates, and finally decode strictly.
func ParseWith(file string, data []byte, o Options) (*Script, error) {
	root, err := parseYAML(file, data)
	if err != nil {
		return nil, err
	}
	d := &decoder{file: file, origin: map[*yaml.Node]string{}}
	d.retagJS(root)
	if root.Kind == yaml.MappingNode {
		if err := d.assemble(root, o); err != nil {
			return nil, err
		}
	}
	s := &Script{File: file, Dir: filepath.Dir(file), ConfigDir: filepath.Dir(file), Environment: o.Environment}
	if len(o.ConfigFiles) > 0 {
		s.ConfigDir = filepath.Dir(o.ConfigFiles[len(o.ConfigFiles)-1])
	}
	if config := child(root, "config"); config != nil {
		d.renderConfig(config, loadScope(s, o))
	}
	d.script(root, s)
	if o.Solo {
		s.Config.Phases = nil
	}
	if len(d.errs) > 0 {
		return nil, d.errs
	}
	d.finish(s)
	if len(d.errs) > 0 {
		return nil, d.errs
	}
	s.Warnings = d.warns
	return s, nil
}

// assemble merges everything the options bring into the script's tree.
func (d *decoder) assemble(root *yaml.Node, o Options) error {
	for _, f := range o.ConfigFiles {
		data, err := fileinput.Read(f, MaxScriptBytes, fileinput.Streams)
		if err != nil {
			return &Error{File: f, Msg: fmt.Sprintf("cannot read config file: %v", err)}
		}
		n, err := parseYAML(f, data)
		if err != nil {
			return err
		}
		tag(n, f, d.origin, 0)
		d.retagJS(n)
		mergeNode(root, n, false, 0)
	}
	d.envName = o.Environment
	d.environment(root, o.Environment)
	if o.Target != "" {
		set(mappingAt(root, "config"), "target", strNode(o.Target))
	}
	d.payloadFlag(root, o.Payload)
	if o.Overrides != "" {
		n, err := parseJSONObject("--overrides", o.Overrides, d.origin)
		if err != nil {
			return err
		}
		mergeNode(root, n, true, 0)
	}
	return d.variablesFlag(root, o.Variables)
}

// environment merges config.environments.<name> over config. An unknown
// name only warns, as in Artillery.
func (d *decoder) environment(root *yaml.Node, name string) {
	if name == "" {
		return
	}
	config := child(root, "config")
	env := child(child(config, "environments"), name)
	if env == nil {
		d.warnf(nil, "environment %q is set but not defined in config.environments", name)
		return
	}
	mergeNode(config, env, false, 0)
}

// payloadFlag applies -p: the file for a single config.payload without a
// path (relative to the working directory). Artillery also lets it
// replace a path that is set, with a warning; it ignores -p for a list.
func (d *decoder) payloadFlag(root *yaml.Node, path string) {
	p := child(child(root, "config"), "payload")
	if path == "" || p == nil || p.Kind != yaml.MappingNode {
		if path != "" {
			d.warnf(nil, "-p %s: ignored (config.payload is not a single payload)", path)
		}
		return
	}
	if child(p, "path") != nil {
		d.warnf(nil, "-p %s replaces config.payload.path", path)
		set(p, "path", strNode(path))
		return
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	set(p, "path", strNode(abs))
}

// variablesFlag adds the -v variables to config.variables.
func (d *decoder) variablesFlag(root *yaml.Node, text string) error {
	if text == "" {
		return nil
	}
	n, err := parseJSONObject("-v", text, d.origin)
	if err != nil {
		return err
	}
	vars := mappingAt(mappingAt(root, "config"), "variables")
	for i := 0; i+1 < len(n.Content); i += 2 {
		set(vars, n.Content[i].Value, n.Content[i+1])
	}
	return nil
}

// loadScope is what config templates can read at load time.
func loadScope(s *Script, o Options) templating.Scope {
	vars := map[string]any{
		"$scenarioFile": s.File, "$dirname": s.ConfigDir, "$testId": o.TestID, "$environment": o.Environment,
	}
	if o.Environment == "" {
		vars["$environment"] = templating.Undefined
	}
	if o.Variables != "" {
		if n, err := parseJSONObject("-v", o.Variables, map[*yaml.Node]string{}); err == nil {
			var cli map[string]any
			if n.Decode(&cli) == nil {
				for k, v := range cli {
					vars[k] = v
				}
			}
		}
	}
	env := o.Environ
	if env == nil {
		env = os.LookupEnv
	}
	return &templating.MapScope{Vars: vars, Environ: env}
}

// finish resolves payload paths and reports a processor nothing uses.
func (d *decoder) finish(s *Script) {
	for i := range s.Config.Payloads {
		p := &s.Config.Payloads[i]
		if p.Path != "" && !filepath.IsAbs(p.Path) {
			p.Path = filepath.Join(s.Dir, p.Path)
		}
	}
	if s.Config.Processor != "" {
		d.checkWhileTrue(s)
		d.warns = append(d.warns, &Error{File: s.File, Pos: s.Config.ProcessorPos,
			Msg: fmt.Sprintf("warning: config.processor %q is ignored: JavaScript cannot run in Surge, and nothing in the script uses it", s.Config.Processor)})
	}
}

// parseYAML turns syntax errors into positioned script errors, and
// resolves the tree's merge keys.
func parseYAML(file string, data []byte) (*yaml.Node, error) {
	if err := checkUTF8(file, data); err != nil {
		return nil, err
	}
	if err := checkJSON(file, data); err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := yaml.Load(data, &doc, yaml.WithUniqueKeys()); err != nil {
		return nil, yamlErrors(file, data, err)
	}
	root := resolve(&doc)
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = resolve(root.Content[0])
	}
	if root.Kind == 0 || (root.Kind == yaml.DocumentNode && len(root.Content) == 0) {
		return nil, Errors{{File: file, Msg: "the script is empty: expected config and scenarios"}}
	}
	if err := checkAliases(file, root); err != nil {
		return nil, err
	}
	if err := checkDuplicateKeys(file, root); err != nil {
		return nil, err
	}
	if err := resolveMerges(file, root); err != nil {
		return nil, err
	}
	return root, nil
}

// checkUTF8 refuses text that is not UTF-8 with the position of its
// first bad byte: the YAML parser says only "invalid leading UTF-8 octet",
// and a binary file (or a script saved in another encoding) is then
// found at once.
func checkUTF8(file string, data []byte) error {
	if utf8.Valid(data) || bytes.HasPrefix(data, []byte{0xfe, 0xff}) || bytes.HasPrefix(data, []byte{0xff, 0xfe}) {
		return nil // UTF-16 with its byte order mark, which the parser reads
	}
	line, col := 1, 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return Errors{{File: file, Pos: Pos{Line: line, Col: col},
				Msg: fmt.Sprintf("byte 0x%02x is not UTF-8 text: a script is YAML or JSON in UTF-8", data[i])}}
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		i += size
	}
	return nil
}

func yamlErrors(file string, data []byte, err error) error {
	if strings.Contains(err.Error(), "no documents in stream") {
		return Errors{{File: file, Msg: "the script is empty: expected config and scenarios"}}
	}
	var les *yaml.LoadErrors
	if errors.As(err, &les) {
		var out Errors
		for _, le := range les.Errors {
			out = append(out, loadError(file, data, le))
		}
		return out
	}
	var le *yaml.LoadError
	if errors.As(err, &le) {
		return Errors{loadError(file, data, le)}
	}
	return Errors{{File: file, Msg: err.Error()}}
}

// loadError keeps where a broken construct started, which is usually
// where the mistake is (an unclosed quote, say), beside where the parser
// gave up.
func loadError(file string, data []byte, le *yaml.LoadError) *Error {
	msg := le.Message
	if le.ContextMsg != "" && le.ContextMark.Line > 0 {
		msg = fmt.Sprintf("%s (%s started at %d:%d)", msg, le.ContextMsg, le.ContextMark.Line, le.ContextMark.Column)
	}
	if byteAt(data, le.Mark.Line, le.Mark.Column) == '\t' {
		// The parser names no tab, and an editor shows it as spaces.
		msg += ": it is a tab, and YAML indents with spaces only"
	}
	return &Error{File: file, Pos: Pos{le.Mark.Line, le.Mark.Column}, Msg: msg}
}

// byteAt is the byte at a 1-based line and column of data (columns
// counted in bytes, which they are in an indentation), or 0.
func byteAt(data []byte, line, col int) byte {
	for l := 1; l < line; l++ {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			return 0
		}
		data = data[i+1:]
	}
	if col < 1 || col > len(data) {
		return 0
	}
	return data[col-1]
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
		"before": func(_, v *yaml.Node) { s.Before = d.section(v, "before") },
		"after":  func(_, v *yaml.Node) { s.After = d.section(v, "after") },
		// Scripts keep YAML anchors under keys of their own, which
		// Artillery ignores: only a likely misspelling is an error.
		otherKeys: func(k, _ *yaml.Node) {
			if s := closeTo(k.Value, []string{"config", "scenarios", "before", "after"}); s != "" {
				d.errorf(k, "script: unknown field %q; did you mean %q?", k.Value, s)
				return
			}
			d.warnf(k, "top-level key %q is ignored", k.Value)
		},
	})
	if n.Kind == yaml.MappingNode && !seen["scenarios"] {
		d.errorf(n, "script: missing scenarios: expected a list of scenarios with a flow")
	}
}

func (d *decoder) section(n *yaml.Node, what string) *Scenario {
	sc := d.scenario(n, what)
	sc.Name = what
	return &sc
}
