// Package promexport shows a running test's metrics to Prometheus: served
// for scraping (Server) and pushed with the remote-write protocol 1.0
// (Pusher), the same series both ways.
//
// An Exporter takes the engine's snapshot each second and keeps what
// Prometheus should see: counters of requests, failures, errors by kind,
// responses by status and bytes, by endpoint; latency and service time as
// histograms, each with classic buckets (ClassicBounds) and a native
// histogram (schema NativeSchema) beside them, made from the run's HDR
// histograms rather than observed again; VUs, requests in flight and
// dropped arrivals; and the generator's watch on itself over the last
// second (send, pacer and timer lag, CPU share, and whether it is judged
// its own bottleneck, as package selfwatch judges it). The figures are the snapshot's totals, so they are
// exact at each second: a counter equals the results file's count once
// the final snapshot is in. Nothing here touches the engine's hot path.
//
// Names follow Prometheus's conventions: the surge_ prefix, base units
// (seconds, bytes) in the name, _total on counters.
package promexport
