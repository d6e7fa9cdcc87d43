package cli

import (
	"net"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
)

// joinOptionalValues lets a flag whose value may be left out (pflag's
// NoOptDefVal, as --dashboard's address) take its value after a space,
// as every other flag does: "--dashboard 127.0.0.1:9000" becomes
// "--dashboard=127.0.0.1:9000". Without this pflag takes the default
// address and leaves 127.0.0.1:9000 as an argument, which the command
// then refuses ("accepts 1 arg(s), received 2") or, worse, reads as a
// script. Only a next argument that is a host:port and not an existing
// file is joined, and only for a flag whose default is an address too.
func joinOptionalValues(root *cobra.Command, args []string) []string {
	cmd, _, err := root.Find(args)
	if err != nil {
		return args
	}
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" { // the end of the flags: the rest are arguments
			return append(out, args[i:]...)
		}
		if i+1 < len(args) && takesOptionalAddr(cmd, a) && isHostPort(args[i+1]) {
			out = append(out, a+"="+args[i+1])
			i++
			continue
		}
		out = append(out, a)
	}
	return out
}

// takesOptionalAddr reports whether arg is "--name" for a flag of cmd
// whose value may be left out and defaults to an address.
func takesOptionalAddr(cmd *cobra.Command, arg string) bool {
	name, ok := strings.CutPrefix(arg, "--")
	if !ok || name == "" || strings.Contains(name, "=") {
		return false
	}
	f := cmd.Flags().Lookup(name)
	return f != nil && f.NoOptDefVal != "" && isHostPort(f.NoOptDefVal)
}

// isHostPort reports whether s is an address to listen on (host:port,
// [v6]:port or :port) rather than a URL, a script or another flag.
func isHostPort(s string) bool {
	if strings.HasPrefix(s, "-") || strings.Contains(s, "/") {
		return false
	}
	host, port, err := net.SplitHostPort(s)
	if err != nil || strings.ContainsAny(host, " \t") {
		return false
	}
	if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		return false
	}
	_, statErr := os.Stat(s)
	return statErr != nil // a file of that name is an argument
}
