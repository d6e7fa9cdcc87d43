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

// FromScript loads the script at path, as surge run would, and builds the
// manifests of its test with the payload files it reads. A script that
// does not load, or a payload file that cannot be read, is an error before
// anything is printed.
func FromScript(path string, o Options) (*Manifests, error) {
	if err := o.validate(); err != nil {
		return nil, err // the flags first: they are cheaper to fix
	}
	// Read once: the text parsed is the text shipped. A script read
	// twice from a pipe (surge k8s <(…)) was shipped empty.
	data, err := fileinput.Read(path, scenario.MaxScriptBytes, fileinput.Streams)
	if err != nil {
		return nil, &scenario.Error{File: path, Msg: fmt.Sprintf("cannot read script: %v", err)}
	}
	s, err := scenario.Parse(path, data)
	if err != nil {
		return nil, err
	}
	t, err := testOf(s, data)
	if err != nil {
		return nil, err
	}
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
		f, err := payloadFile(s, p)
		if err != nil {
			return Test{}, err
		}
		t.Payloads = append(t.Payloads, f)
	}
	return t, nil
}

func payloadFile(s *scenario.Script, p scenario.Payload) (File, error) {
	where := fmt.Sprintf("%s:%d:%d: config.payload %s", s.File, p.Pos.Line, p.Pos.Col, p.Path)
	rel, err := filepath.Rel(s.Dir, p.Path)
	if err != nil || !filepath.IsLocal(rel) {
		return File{}, fmt.Errorf("%s: outside the script's directory %s; surge k8s ships the script's directory and what is under it, so move the file there", where, s.Dir)
	}
	// Read bounded: a payload over a ConfigMap's size is refused later
	// anyway, and a device (/dev/zero) would never end.
	data, err := fileinput.Read(p.Path, maxConfigMapBytes+1, fileinput.Regular)
	if errors.Is(err, fileinput.ErrTooLarge) {
		return File{}, fmt.Errorf("%s: larger than a ConfigMap holds (1 MiB): bake large payload files into the image instead", where)
	}
	if err != nil {
		return File{}, fmt.Errorf("%s: %w", where, err)
	}
	return File{Path: filepath.ToSlash(rel), Data: data}, nil
}
