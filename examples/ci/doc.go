// Package ciexample holds the tests of the CI recipe in this folder
// (docs/ci.md): the GitHub Actions workflow (github/stress-test.yml) and
// the GitLab pipeline (gitlab/.gitlab-ci.yml) keep their shell steps in
// the scripts here (stress.sh, compare.sh, baseline.sh, gitlab-note.sh),
// and the tests run the workflow's steps, read from its YAML, against the
// built-in target on a loopback port: a first deploy that becomes the
// baseline, an unchanged one that passes, and a slower one that fails the
// comparison (exit 112) and is not accepted. They also check that both
// pipelines call the same scripts in the same order.
package ciexample
