// Package dashboard serves Surge's live web dashboard: charts updated every
// second over server-sent events, a per-endpoint statistics table, recent
// errors, threshold verdicts, controls to start, stop and steer a test,
// and downloads of the results (JSON, CSV, HTML report).
//
// It owns the HTTP API and its security (loopback by default; a token on
// every request when bound elsewhere; no cross-origin access). It consumes
// metrics snapshots and steers tests only through the Controller
// interface, so it knows nothing of the engine.
package dashboard
