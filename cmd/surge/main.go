// Command surge is the command-line front of the Surge load-testing
// library; see the README for a quick start.
package main

import (
	"os"

	"github.com/surge-dev/surge/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], cli.IO{Stdout: os.Stdout, Stderr: os.Stderr}))
}
