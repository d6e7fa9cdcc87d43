package k8s

import (
	"errors"
	"fmt"
	"path/filepath"

	"github.com/surge-dev/surge/flow"
	"github.com/surge-dev/surge/internal/fileinput"
	"github.com/surge-dev/surge/scenario"
	"github.com/surge-dev/surge/schedule"
)

// FromScript loads the script at path, as surge run would with no other
// option, and builds the manifests of its test with the payload files it
// reads. A script that does not load, or a payload file that cannot be
// read, is an error before anything is printed.
func FromScript(path string, o Options) (*Manifests, error) {
	if err := o.Validate(); err != nil {
		return nil, err // the flags first: they are cheaper to fix
	}
	// Read once: the text parsed is the text shipped. A script read
	// twice from a pipe (surge k8s <(…)) was shipped empty.
	data, err := scenario.ReadScript(path)
	if err != nil {
		return nil, err
	}
	s, err := scenario.Parse(path, data)
	if err != nil {
		return nil, err
	}
	return FromParsed(s, data, o)
}

// FromParsed builds the manifests of a script its caller has loaded and
// assembled (surge k8s loads it with Options.Run's flags, as surge run
// would): s parsed from data, its phases those the pods will run, and
// files the further files those flags name (ScriptFile reads them). The
// payload files s reads are shipped too.
func FromParsed(s *scenario.Script, data []byte, o Options, files ...File) (*Manifests, error) {
	t, err := testOf(s, data)
	if err != nil {
		return nil, err
	}
	t.Files = files
	return Build(t, o)
}

// testOf gathers the script's files: its own text (data) under its base
// name, each payload at its path relative to the script's directory.
func testOf(s *scenario.Script, data []byte) (Test, error) {
	plan, err := schedule.New(flow.Phases(s.Config.Phases))
	if err != nil {
		return Test{}, fmt.Errorf("%s: %w", s.File, err)
	}
	t := Test{Script: File{Path: filepath.Base(s.File), Data: data}, Length: plan.Length()}
	for _, p := range s.Config.Payloads {
		where := fmt.Sprintf("%s:%d:%d: config.payload %s", s.File, p.Pos.Line, p.Pos.Col, p.Path)
		f, err := ScriptFile(s, p.Path, where)
		if err != nil {
			return Test{}, err
		}
		t.Payloads = append(t.Payloads, f)
	}
	return t, nil
}

// ScriptFile reads a file the pods need, which must lie under the
// script's directory: the ConfigMap ships that directory's files, and the
// pods find them at the same paths relative to the script. what names
// the file in errors (a flag, a script's line).
func ScriptFile(s *scenario.Script, path, what string) (File, error) {
	rel, err := relativeTo(s.Dir, path)
	if err != nil {
		return File{}, fmt.Errorf("%s: outside the script's directory %s; surge k8s ships the script's directory and what is under it, so move the file there", what, s.Dir)
	}
	// Read bounded: a file over a ConfigMap's size is refused later
	// anyway, and a device (/dev/zero) would never end.
	data, err := fileinput.Read(path, maxConfigMapBytes+1, fileinput.Regular)
	if errors.Is(err, fileinput.ErrTooLarge) {
		return File{}, fmt.Errorf("%s: larger than a ConfigMap holds (1 MiB): bake large files into the image instead", what)
	}
	if err != nil {
		return File{}, fmt.Errorf("%s: %w", what, err)
	}
	return File{Path: filepath.ToSlash(rel), Data: data}, nil
}

// relativeTo is path relative to dir, if it lies under it; both are made
// absolute first, so that a path given from the working directory and a
// script's directory compare.
func relativeTo(dir, path string) (string, error) {
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	absPath, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	rel, err := filepath.Rel(absDir, absPath)
	if err != nil || !filepath.IsLocal(rel) {
		return "", errors.New("not under the directory")
	}
	return rel, nil
}

// InPod is where a file of the script's directory (File.Path) is found
// by the pods' surge run, whose working directory is WorkDir: the value
// for a flag in Options.Run that names the file.
func InPod(file File) string { return ScriptDir + "/" + file.Path }
