package results

import (
	"io/fs"
	"os"
	"path/filepath"
)

// SameFile reports whether two outputs would write one file, so that the
// later would overwrite or mix into the earlier: paths that name one
// existing file (compared by identity, whatever links, ".." or hard links
// lead there), or, when either does not exist yet, one absolute path once
// the links on the way are followed. A character device (/dev/null, a
// terminal) is never the same file: several outputs may all go there
// without harming each other.
func SameFile(a, b string) bool {
	ia, errA := os.Stat(a)
	ib, errB := os.Stat(b)
	if errA == nil && errB == nil {
		return os.SameFile(ia, ib) && ia.Mode()&fs.ModeCharDevice == 0
	}
	return canonical(a) == canonical(b)
}

// canonical is where a new file at path would be created: its links
// followed (a dangling link's target is created), made absolute, with the
// links of its folder resolved.
func canonical(path string) string {
	dest, _, err := resolveLinks(path)
	if err != nil {
		dest = path
	}
	abs, err := filepath.Abs(dest)
	if err != nil {
		return filepath.Clean(dest)
	}
	if dir, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		return filepath.Join(dir, filepath.Base(abs))
	}
	return abs
}

// InputAt returns the input among inputs that writing out would
// overwrite ("" when none): a command that writes a file it also reads
// (surge report run.json -o run.json, surge merge a.json b.json -o
// b.json, a run's -o naming its own script) would replace what it was
// given, the one copy of a test's results or a script, with its output.
// Inputs that are "" or "-" (standard input) are not files and never
// match; a character device never does either (SameFile).
func InputAt(out string, inputs []string) string {
	if out == "" || out == "-" {
		return ""
	}
	for _, in := range inputs {
		if in != "" && in != "-" && SameFile(out, in) {
			return in
		}
	}
	return ""
}
