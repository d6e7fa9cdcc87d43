package ciexample

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v4"
)

// scriptDir is where the workflows expect the scripts in the user's
// repository (their header says to copy them there).
const scriptDir = "ci/surge/"

type githubWorkflow struct {
	Env  map[string]string `yaml:"env"`
	Jobs map[string]struct {
		Steps []struct {
			Name string            `yaml:"name"`
			Run  string            `yaml:"run"`
			Env  map[string]string `yaml:"env"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

type gitlabJob struct {
	Script      []string `yaml:"script"`
	AfterScript []string `yaml:"after_script"`
	Artifacts   struct {
		Reports struct {
			JUnit []string `yaml:"junit"`
		} `yaml:"reports"`
	} `yaml:"artifacts"`
}

func readYAML(t *testing.T, path string, into any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, into); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func readGitHub(t *testing.T) githubWorkflow {
	var w githubWorkflow
	readYAML(t, "github/stress-test.yml", &w)
	return w
}

func readGitLab(t *testing.T) (vars map[string]string, jobs map[string]gitlabJob) {
	var top map[string]yaml.Node
	readYAML(t, "gitlab/.gitlab-ci.yml", &top)
	jobs = map[string]gitlabJob{}
	for name, node := range top {
		if name == "variables" {
			if err := node.Decode(&vars); err != nil {
				t.Fatal(err)
			}
			continue
		}
		var j gitlabJob
		if node.Kind == yaml.MappingNode && node.Decode(&j) == nil {
			jobs[name] = j
		}
	}
	return vars, jobs
}

// githubScriptSteps are the run lines of a job that call the scripts, in
// order.
func githubScriptSteps(t *testing.T, w githubWorkflow, job string) []string {
	t.Helper()
	var out []string
	for _, s := range w.Jobs[job].Steps {
		if strings.HasPrefix(s.Run, scriptDir) {
			out = append(out, strings.TrimSpace(s.Run))
		}
	}
	if len(out) == 0 {
		t.Fatalf("github: job %q calls no script", job)
	}
	return out
}

func scriptLines(lines []string) []string {
	var out []string
	for _, l := range lines {
		if strings.HasPrefix(l, scriptDir) {
			out = append(out, strings.TrimSpace(l))
		}
	}
	return out
}

// calledScripts lists the scripts a command line calls.
func calledScripts(lines []string) map[string]bool {
	out := map[string]bool{}
	for _, l := range lines {
		for _, f := range strings.Fields(l) {
			if strings.HasPrefix(f, scriptDir) {
				out[strings.TrimPrefix(f, scriptDir)] = true
			}
		}
	}
	return out
}

// Both pipelines run the same script steps in the same order, with the
// same settings, and every script they call is here, executable; every
// script here is called; the GitLab job hands both JUnit files to GitLab.
func TestWorkflowsCallTheScripts(t *testing.T) {
	gh := readGitHub(t)
	vars, gl := readGitLab(t)
	ghStress, glStress := githubScriptSteps(t, gh, "stress"), scriptLines(gl["stress-test"].Script)
	if strings.Join(ghStress, "\n") != strings.Join(glStress, "\n") {
		t.Errorf("stress steps differ:\ngithub:\n%s\ngitlab:\n%s", strings.Join(ghStress, "\n"), strings.Join(glStress, "\n"))
	}
	ghAccept, glAccept := githubScriptSteps(t, gh, "accept"), scriptLines(gl["accept-baseline"].Script)
	if strings.Join(ghAccept, "\n") != strings.Join(glAccept, "\n") {
		t.Errorf("accept steps differ: github %q, gitlab %q", ghAccept, glAccept)
	}
	for _, k := range []string{"RATE", "RAMP", "DURATION", "WINDOW", "MARGIN", "SURGE_VERSION"} {
		if gh.Env[k] == "" || gh.Env[k] != vars[k] {
			t.Errorf("setting %s: github %q, gitlab %q", k, gh.Env[k], vars[k])
		}
	}
	called := calledScripts(append(append(ghStress, ghAccept...), scriptLines(gl["stress-test"].AfterScript)...))
	checkScriptsExist(t, called)
	want := []string{"surge/stress-junit.xml", "surge/compare-junit.xml"}
	if got := gl["stress-test"].Artifacts.Reports.JUnit; strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("gitlab junit reports %v, want %v", got, want)
	}
}

func checkScriptsExist(t *testing.T, called map[string]bool) {
	t.Helper()
	for name := range called {
		fi, err := os.Stat(name)
		if err != nil || fi.Mode()&0o111 == 0 {
			t.Errorf("a workflow calls %s%s: not an executable here (%v)", scriptDir, name, err)
		}
	}
	here, _ := filepath.Glob("*.sh")
	for _, name := range here {
		if !called[name] {
			t.Errorf("%s is called by neither workflow", name)
		}
	}
	if len(here) < 4 {
		t.Errorf("scripts here: %v", here)
	}
}
