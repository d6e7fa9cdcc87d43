// Package lambda models how one AWS Lambda function gets execution
// environments, and when Lambda refuses an invocation.
//
// It owns the rules, and only the rules: the account and reserved
// concurrency limits, provisioned (pre-warmed) environments, the rate at
// which new environments may be created (the current per-function model of
// 1,000 every 10 seconds, or the legacy regional burst followed by 500 a
// minute), the ceiling of 10 requests per second per environment, cold
// starts on new environments and the reclaiming of idle ones.
//
// A [Model] has no clock and starts no goroutines. Every method takes the
// virtual time since the start, so tests and the capacity planner can drive
// hours of traffic in milliseconds and get the same answer every run. Time
// passed to a Model must not go backwards; an earlier time is read as the
// latest one seen. A Model is not safe for concurrent use: the HTTP server
// in testbed/lambda wraps it in a mutex.
//
// The package imports no other Surge package and nothing from AWS. The
// rules and their sources are listed in docs/scaling.md.
package lambda
