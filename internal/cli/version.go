package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

func newVersionCmd(io IO) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print Surge's version, the Go it was built with, and its commit",
		Long: `Print Surge's version (set by make build, or the module version go install
fetched), the Go version and platform it was built with, and the commit and
its time when the build recorded them (a build from a git checkout does),
with "modified" if the checkout had uncommitted changes.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprint(io.Stdout, versionText())
			return nil
		},
	}
}

// versionText is what surge version and surge --version print.
func versionText() string {
	info, _ := debug.ReadBuildInfo()
	var b strings.Builder
	fmt.Fprintf(&b, "surge %s\n", surgeVersion(info))
	fmt.Fprintf(&b, "built with %s %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
	if commit := buildCommit(info); commit != "" {
		fmt.Fprintf(&b, "commit %s\n", commit)
	}
	return b.String()
}

// surgeVersion is Version as make build sets it, else the module version
// go install recorded ("(devel)" in a plain go build says nothing).
func surgeVersion(info *debug.BuildInfo) string {
	if Version != "dev" || info == nil {
		return Version
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	return Version
}

// buildCommit is the VCS revision the build recorded, with its time and
// whether the tree was modified ("": none recorded).
func buildCommit(info *debug.BuildInfo) string {
	if info == nil {
		return ""
	}
	var rev, at string
	modified := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if rev == "" {
		return ""
	}
	if at != "" {
		rev += " (" + at + ")"
	}
	if modified {
		rev += ", modified"
	}
	return rev
}
