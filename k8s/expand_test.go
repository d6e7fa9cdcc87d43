package k8s

import (
	"slices"
	"strings"
	"testing"
)

// The kubelet expands a container's args before surge run sees them:
// $$ is read as $, and $(VAR) is replaced by the variable when the
// container has it. The pods' flags must reach surge run as surge k8s
// was given them (and checked them), whatever $ they hold; only the
// index in --segment is expanded.
func TestPodArgumentsReachSurgeRunAsGiven(t *testing.T) {
	path := writeTest(t, testScript, map[string]string{"data/users.csv": "alice\n", "ids.csv": "1\n"})
	o := testOptions()
	o.Run = []string{"--overrides", `{"config":{"variables":{"password":"pa$$w0rd"}}}`,
		"--variables", `{"price":"$5","token":"$(SURGE_COORDINATOR_TOKEN)","pod":"$(JOB_COMPLETION_INDEX)"}`}
	m, err := FromScript(path, o)
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{indexVar: "2", tokenEnv: "the-secret-token"}
	var got []string
	for _, word := range printed(t, m).job.Spec.Template.Spec.Containers[0].Args {
		got = append(got, kubeletExpand(word, env))
	}
	if !slices.Contains(got, "2/4") {
		t.Errorf("args %q: no --segment 2/4 for the pod of index 2", got)
	}
	tail := append(slices.Clone(o.Run), "script/load.yml")
	if len(got) < len(tail) || !slices.Equal(got[len(got)-len(tail):], tail) {
		t.Errorf("args as surge run gets them %q, want them to end in %q", got, tail)
	}
}

// kubeletExpand expands a word of a container's args as Kubernetes
// documents it (and its expansion package does): $$ is an escaped $,
// $(VAR) is the variable's value when it is defined and is left as it is
// otherwise, and any other $ is kept.
func kubeletExpand(s string, env map[string]string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '$' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		switch end := strings.IndexByte(s[i:], ')'); {
		case s[i+1] == '$':
			b.WriteByte('$')
			i++
		case s[i+1] == '(' && end > 0:
			if v, ok := env[s[i+2:i+end]]; ok {
				b.WriteString(v)
			} else {
				b.WriteString(s[i : i+end+1])
			}
			i += end
		default:
			b.WriteByte('$')
		}
	}
	return b.String()
}
