// Package beforeafter holds the test of the serverless lab in this folder
// (README.md): run.sh runs a load test against the Lambda emulator with a
// 200 ms handler and again with an 80 ms one, and compares them. The test
// runs the script as a user would, with short runs on loopback ports, and
// checks the verdicts: latency improved, the function's concurrency fell
// in proportion to the handler's duration, and its throttles disappeared.
package beforeafter
