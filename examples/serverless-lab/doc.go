// Package serverlesslab holds the test of the serverless lab in this
// folder (README.md): surge plan on its scripts, as a user runs it. The
// test plans bursts.yml under the legacy and the current rule and
// spike.yml (0 to 3,000 req/s under the legacy rule), checks the figures
// the lab teaches, and checks that the README quotes the plan as surge
// plan prints it. It sends no load: the lab's run against surge target
// lambda is in the README, with its figures.
package serverlesslab
