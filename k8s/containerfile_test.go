package k8s

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// The repository's Containerfile cannot be built here (no registry), so
// this reads it as a builder would and checks what surge k8s relies on:
// pinned base images, stages that exist, the Go of go.mod, surge on PATH
// as the pods' command, and a numeric non-root user for runAsNonRoot.
func TestContainerfileIsSane(t *testing.T) {
	text, err := os.ReadFile("../Containerfile")
	if err != nil {
		t.Fatal(err)
	}
	gomod, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	stages, last := map[string]bool{}, ""
	var user, entry string
	for n, line := range strings.Split(string(text), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		switch f[0] {
		case "FROM":
			checkFrom(t, n+1, f, stages)
			last = f[1]
		case "COPY":
			if len(f) > 1 && strings.HasPrefix(f[1], "--from=") && !stages[strings.TrimPrefix(f[1], "--from=")] {
				t.Errorf("line %d: COPY %s names no earlier stage", n+1, f[1])
			}
		case "USER":
			user = f[1]
		case "ENTRYPOINT":
			entry = strings.Join(f[1:], " ")
		}
	}
	goVersion := regexp.MustCompile(`(?m)^go (\S+)$`).FindSubmatch(gomod)
	if !strings.Contains(string(text), "FROM golang:"+string(goVersion[1])+"-") {
		t.Errorf("the build stage's Go is not go.mod's %s", goVersion[1])
	}
	if !regexp.MustCompile(`^[1-9][0-9]*:[1-9][0-9]*$`).MatchString(user) {
		t.Errorf("USER %q: want a numeric non-root uid:gid (runAsNonRoot needs it)", user)
	}
	if entry != `["/usr/local/bin/surge"]` || !strings.Contains(string(text), "/usr/local/bin/surge\n") || command()[0] != "surge" {
		t.Errorf("ENTRYPOINT %s: want surge in /usr/local/bin, on PATH for the pods' command %q", entry, command())
	}
	if last == "" {
		t.Error("no FROM")
	}
}

// checkFrom wants an image with a pinned tag (not latest, not floating
// on a bare major) and records the stage's name.
func checkFrom(t *testing.T, line int, f []string, stages map[string]bool) {
	t.Helper()
	image := f[1]
	name, tag, ok := strings.Cut(image, ":")
	if !ok || tag == "latest" || !regexp.MustCompile(`[0-9]+\.[0-9]+`).MatchString(tag) {
		t.Errorf("line %d: FROM %s: want a pinned version tag", line, image)
	}
	if strings.Contains(name, ".") {
		t.Errorf("line %d: FROM %s: the repository names no registry host", line, image)
	}
	if len(f) == 4 && strings.EqualFold(f[2], "AS") {
		stages[f[3]] = true
	}
}
