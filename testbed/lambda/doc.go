// Package lambdatarget serves an emulated AWS Lambda function over HTTP, so
// that a load test can be pointed at it and meet Lambda's limits for real.
//
// It owns the request path and the clock: every request is an invocation.
// It asks the scaling/lambda model for an execution environment, waits the
// cold start (InitDuration) on a new one, runs the handler (HandlerDuration
// of waiting, then HandlerCPU of burning a CPU) bounded by Timeout, and
// answers the way AWS answers the chosen front door:
//
//   - Mode "url" (Function URL): a throttle is HTTP 429 with the
//     TooManyRequestsException body and x-amzn-ErrorType header; a timed-out
//     invocation is HTTP 502.
//   - Mode "apigw" (API Gateway REST API, Lambda proxy integration): a
//     throttle is HTTP 500 "Internal server error", as API Gateway does not
//     pass Lambda's 429 through; a timed-out invocation is HTTP 502; an
//     invocation still running at the integration timeout (29 s) is HTTP
//     504, while the function keeps running and holding its environment.
//
// TimeScale speeds up the model's clock: with 60, a virtual minute passes
// in one real second. Every scaling rule runs on that clock — the
// 1,000-per-10-seconds (or 500-per-minute) scaling rate and the idle expiry
// of environments. What a single request waits for stays in real time:
// InitDuration, HandlerDuration, HandlerCPU, Timeout and the integration
// timeout, and so does the rate limit of 10 requests per second per
// environment, because it is a ceiling on throughput that only makes sense
// against real handler durations. The load generator sees real latencies
// while the fleet of environments evolves faster.
//
// /metrics serves the model in Prometheus text format from a registry
// private to the server; /_surge/status serves a JSON snapshot. Any other
// path invokes the function.
package lambdatarget
