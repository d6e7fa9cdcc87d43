package cli

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// One CLI, one meaning per flag: a short flag means the same long flag in
// every command (docs/cli.md, "Short flags"), and one idea has one name.
// Spellings that changed keep working, hidden, and say once per use what
// to write instead; flagnames_test.go holds the inventory.

// addOldName registers old as a hidden spelling of the flag now called
// name in f: it sets the same value, and using it prints a one-line
// notice naming the new spelling.
func addOldName(f *pflag.FlagSet, old, name string) {
	current := f.Lookup(name)
	if current == nil {
		panic("addOldName: no flag --" + name) // a programming error, caught by every test
	}
	f.AddFlag(&pflag.Flag{Name: old, Usage: current.Usage, Value: current.Value,
		DefValue: current.DefValue, NoOptDefVal: current.NoOptDefVal})
	// MarkDeprecated hides the flag from --help and prints the notice.
	_ = f.MarkDeprecated(old, "use --"+name+" (the same flag, renamed)")
}

// retireShorthand keeps the short flag of name working, hidden from
// --help, with a notice saying what to write and why.
func retireShorthand(f *pflag.FlagSet, name, why string) {
	_ = f.MarkShorthandDeprecated(name, "use --"+name+" ("+why+")")
}

// noticesTo sends the notices of old spellings on every command under c
// to w. Cobra would print them where the command prints its output, and
// a notice on standard output would corrupt --stream - or a piped report.
func noticesTo(c *cobra.Command, w io.Writer) {
	c.Flags().SetOutput(w)
	for _, sub := range c.Commands() {
		noticesTo(sub, w)
	}
}

// withScheme takes a URL given without a scheme as http://, as curl and
// browsers do: "localhost:8080/x" and "127.0.0.1:9000" name hosts, not
// the schemes "localhost" and "127.0.0.1" that url.Parse would read.
// Empty stays empty; a URL with a scheme is left as it is.
func withScheme(raw string) string {
	if raw == "" || strings.Contains(raw, "://") {
		return raw
	}
	return "http://" + raw
}

// urlValue is a flag that takes a URL: one given without a scheme is
// taken as http:// (withScheme).
type urlValue struct {
	p    *string
	name string // the flag's
}

func (u urlValue) String() string {
	if u.p == nil {
		return ""
	}
	return *u.p
}

func (u urlValue) Set(s string) error {
	s = strings.TrimSpace(s)
	if _, err := time.ParseDuration(s); err == nil {
		if u.name == "target" { // "-t 5m" is Locust's run time, never a host
			return fmt.Errorf("%q is a duration, not a URL: -t is the target (the test's length, Locust's -t, is --duration or -d)", s)
		}
		return fmt.Errorf("%q is a duration, not a URL", s)
	}
	*u.p = withScheme(s)
	return nil
}

func (u urlValue) Type() string { return "url" }

// urlVarP defines a flag that takes a URL (see urlValue).
func urlVarP(f *pflag.FlagSet, p *string, name, short, usage string) {
	f.VarP(urlValue{p, name}, name, short, usage)
}
