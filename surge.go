package surge

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/internal/cli"
	"github.com/surge-dev/surge/schedule"
	"github.com/surge-dev/surge/taskset"
)

// Main runs users with the command line of surge run (os.Args), and
// exits with its exit code: as locust -f runs a locustfile, a program's
// main is one call,
//
//	func main() { surge.Main(reader, writer) }
//
// and the program takes --users, --spawn-rate, --rate, --duration or
// --config's phases, --target, and every output flag of surge run
// (-o, --report, --dashboard, --threshold, --alerts, --monitor,
// --segment, …). --help lists them with the exit codes.
func Main(users ...taskset.User) {
	os.Exit(Run(os.Args[1:], os.Stdout, os.Stderr, users...))
}

// Run is Main with the arguments (without the program name) and the
// output streams given; it returns the exit code instead of exiting.
func Run(args []string, stdout, stderr io.Writer, users ...taskset.User) int {
	build := func(target string, phases []schedule.Phase) (*engine.Test, error) {
		t, err := taskset.Test(target, phases, users...)
		if errors.Is(err, taskset.ErrNoTarget) {
			return nil, fmt.Errorf("%w: give the base URL with --target (or a Host on each user)", err)
		}
		return t, err
	}
	return cli.UsersMain(programName(), args, cli.IO{Stdout: stdout, Stderr: stderr}, build)
}

// programName is how the program was called, for its help and results.
func programName() string {
	if len(os.Args) == 0 || os.Args[0] == "" {
		return "users"
	}
	return filepath.Base(os.Args[0])
}
