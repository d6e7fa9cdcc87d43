// Package ci writes what continuous-integration systems read from a run
// or a comparison: a JUnit XML report (one test case per threshold,
// alert, ensure check or compare row, each carrying the measured value
// and the limit), a Markdown summary for GitHub Actions' job summary
// ($GITHUB_STEP_SUMMARY), and the failed checks as GitHub Actions
// annotations (workflow commands: ::error title=…::…).
//
// JUnit XML has no official specification; the shape written here is the
// de-facto one (testsuites, testsuite, testcase, failure, skipped,
// properties, system-out) that Jenkins, GitLab, GitHub test reporters and
// Azure DevOps read. A test case passes unless it holds a failure or a
// skipped element. The failures are exactly what fails the command's exit
// code, so that the two always agree.
package ci
