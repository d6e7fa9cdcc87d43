package cli

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/spf13/cobra"
)

// helpWidth is the widest line a command's long help may have: the
// prose is wrapped for an 80-column terminal, as the flag table is.
const helpWidth = 80

// Every command's long help is wrapped at helpWidth, so that no line
// breaks mid-word on a standard terminal or runs past the others.
func TestLongHelpFitsEightyColumns(t *testing.T) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for i, line := range strings.Split(c.Long, "\n") {
			if n := utf8.RuneCountInString(line); n > helpWidth {
				t.Errorf("%s --help, line %d, is %d columns: %q", c.CommandPath(), i+1, n, line)
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(newRoot(IO{}))
}
