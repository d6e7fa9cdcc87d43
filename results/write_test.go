package results

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWriteAtomicFollowsSymlinks: the link stays a link and its target
// gets the new content, also through a chain of links and a relative one.
func TestWriteAtomicFollowsSymlinks(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "real.json")
	os.WriteFile(target, []byte("old"), 0o600)
	os.Symlink("real.json", filepath.Join(dir, "hop"))
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink(filepath.Join(dir, "hop"), link); err != nil {
		t.Skip(err)
	}
	if err := WriteAtomic(link, []byte("new")); err != nil {
		t.Fatal(err)
	}
	for _, l := range []string{link, filepath.Join(dir, "hop")} {
		if info, _ := os.Lstat(l); info.Mode()&fs.ModeSymlink == 0 {
			t.Fatalf("%s was replaced by a %v", l, info.Mode().Type())
		}
	}
	b, _ := os.ReadFile(target)
	info, _ := os.Stat(target)
	if string(b) != "new" || info.Mode().Perm() != 0o600 {
		t.Fatalf("target holds %q with mode %v, want the new content and its old mode 0600", b, info.Mode().Perm())
	}
}

// TestWriteAtomicCreatesADanglingLinksTarget: a link to a file that does
// not exist yet gets its target created, and stays a link.
func TestWriteAtomicCreatesADanglingLinksTarget(t *testing.T) {
	dir := t.TempDir()
	link := filepath.Join(dir, "out.json")
	if err := os.Symlink("later.json", link); err != nil {
		t.Skip(err)
	}
	if err := CheckWritable(link); err != nil {
		t.Fatal(err)
	}
	if err := WriteAtomic(link, []byte("x")); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "later.json"))
	if info, _ := os.Lstat(link); err != nil || string(b) != "x" || info.Mode()&fs.ModeSymlink == 0 {
		t.Fatalf("target %q %v; link mode %v", b, err, info.Mode())
	}
}

// TestWriteAtomicRefusesADirectoryAndALinkLoop.
func TestWriteAtomicRefusesADirectoryAndALinkLoop(t *testing.T) {
	dir := t.TempDir()
	loop := filepath.Join(dir, "a")
	os.Symlink("b", loop)
	os.Symlink("a", filepath.Join(dir, "b"))
	cases := map[string]string{dir: "is a directory", loop: "symbolic links"}
	for path, want := range cases {
		for _, err := range []error{WriteAtomic(path, []byte("x")), CheckWritable(path)} {
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%s: got %v, want %q", path, err, want)
			}
		}
	}
}

// TestCheckWritableUnderAFile: a path whose directory is a regular file
// cannot be written, whoever runs the test (root included), and the check
// says so without leaving anything behind.
func TestCheckWritableUnderAFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "x")
	os.WriteFile(file, []byte("keep"), 0o644)
	err := CheckWritable(filepath.Join(file, "r.json"))
	if err == nil || !strings.Contains(err.Error(), "not a directory") || !strings.Contains(err.Error(), file) {
		t.Fatalf("got %v, want a 'not a directory' error naming %s", err, file)
	}
	if err := CheckWritable(filepath.Join(dir, "new.json")); err != nil {
		t.Fatal(err)
	}
	if err := CheckWritable(file); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	if b, _ := os.ReadFile(file); len(entries) != 1 || string(b) != "keep" {
		t.Fatalf("the check changed the directory: %v, file %q", entries, b)
	}
}
