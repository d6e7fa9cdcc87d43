package ci

import (
	"fmt"
	"io"
	"strings"
)

// WriteAnnotations writes r's failed checks as GitHub Actions error
// annotations and its unjudged ones (no data, an inconclusive comparison
// that does not fail) as notices: workflow commands the runner reads from
// a step's output and shows on the pull request and the run's page, where
// a failed check is seen without opening the log or the JUnit report.
// Passed checks are not written: the step summary lists every check.
func WriteAnnotations(w io.Writer, r Report) error {
	for _, s := range r.Suites {
		for _, c := range s.Cases {
			if err := writeAnnotation(w, c); err != nil {
				return err
			}
		}
	}
	return nil
}

func writeAnnotation(w io.Writer, c Case) error {
	command, title := "", ""
	switch {
	case c.Failed:
		command, title = "error", c.Type+": "+c.Name
	case c.Skipped:
		command, title = "notice", "not judged: "+c.Name
	default:
		return nil
	}
	message := c.Message
	if c.Detail != "" {
		message += "\n" + c.Detail
	}
	_, err := fmt.Fprintf(w, "::%s title=%s::%s\n", command, escapeProperty(title), escapeData(message))
	return err
}

// escapeData escapes a workflow command's message as the runner unescapes
// it: a newline would end the command, and % is the escape itself.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes a property's value, which also ends at a comma
// (the next property) or a colon (the end of the properties).
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
