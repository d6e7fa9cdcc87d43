package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"

	"github.com/spf13/cobra"
	"github.com/surge-dev/surge/internal/starter"
)

type initOptions struct {
	goUser bool
	force  bool
}

func newInitCmd(io IO) *cobra.Command {
	var o initOptions
	cmd := &cobra.Command{
		Use:   "init [FILE]",
		Short: "Write a commented starter script (or, with --go, a Go load test)",
		Long: `Write a starter test that runs unchanged against surge target's defaults
(http://127.0.0.1:8080): load.yml, an Artillery-compatible script with
phases, two scenarios, captures, expect checks and ensure thresholds, every
part commented; or with --go main.go, Locust-style users in Go (package
taskset: weighted tasks, waits, a per-user setup) that surge.Main runs with
surge run's whole command line (--users, --spawn-rate, -o, --dashboard, …).

An existing file is left alone (exit 2) unless --force is given; the file is
written whole or not at all.`,
		Example: `  surge init                 # writes load.yml
  surge target &             # the built-in target on 127.0.0.1:8080
  surge run load.yml         # or: surge run load.yml -t https://your.service
  surge init --go            # writes main.go (then: go mod init, go get, go run .)`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runInit(io, args, o)
		},
	}
	cmd.Flags().BoolVar(&o.goUser, "go", false, "write main.go, a load test in Go with Locust-style users, instead of load.yml")
	cmd.Flags().BoolVar(&o.force, "force", false, "replace the file if it exists")
	return cmd
}

func runInit(io IO, args []string, o initOptions) error {
	path, content := path0(o), starter.Script
	if o.goUser {
		content = starter.GoUser
	}
	if len(args) == 1 {
		path = args[0]
	}
	if path == "-" { // as every other file output: "-" is no file name
		return usageError("init -: would create a file named \"-\": name the file to write (the default is %s)", path0(o))
	}
	if err := writeNew(path, content, o.force); err != nil {
		return err
	}
	fmt.Fprintf(io.Stdout, "wrote %s\n\n%s", path, initNextSteps(path, o.goUser))
	return nil
}

// path0 is the file init writes when none is named.
func path0(o initOptions) string {
	if o.goUser {
		return "main.go"
	}
	return "load.yml"
}

// initNextSteps says how to run what init wrote.
func initNextSteps(path string, goUser bool) string {
	if !goUser {
		return fmt.Sprintf(`Run it against Surge's built-in target:
  surge target &            # serves http://127.0.0.1:8080
  surge run %s
or against your service: surge run %[1]s -t https://your.service
`, path)
	}
	return fmt.Sprintf(`Run it (in a directory of its own):
  go mod init loadtest      # unless the directory has a go.mod
  go get %s
  surge target &            # serves http://127.0.0.1:8080
  go run . --users 20 --spawn-rate 5 --dashboard
`, moduleAtVersion())
}

// semver matches a release tag, which go get can fetch.
var semver = regexp.MustCompile(`^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$`)

// moduleAtVersion is Surge's module at this binary's version when that is
// a release tag, else the module alone (go get then takes its newest).
func moduleAtVersion() string {
	const module = "github.com/surge-dev/surge"
	if semver.MatchString(Version) {
		return module + "@" + Version
	}
	return module
}

// writeNew writes content to path whole: into a temporary file beside it,
// then linked into place, which fails if path exists (so nothing is
// replaced by a race), or, with force, renamed over it.
func writeNew(path string, content []byte, force bool) error {
	if _, err := os.Lstat(path); err == nil && !force {
		return usageError("%s exists: not replaced (--force replaces it)", path)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".surge-init-*")
	if err != nil {
		return runError(err)
	}
	defer os.Remove(tmp.Name())
	if err := writeAndClose(tmp, content); err != nil {
		return runError(err)
	}
	if force {
		err = os.Rename(tmp.Name(), path)
	} else if err = os.Link(tmp.Name(), path); errors.Is(err, fs.ErrExist) {
		return usageError("%s exists: not replaced (--force replaces it)", path)
	}
	if err != nil {
		return runError(err)
	}
	return nil
}

func writeAndClose(f *os.File, content []byte) error {
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(content); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
