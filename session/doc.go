// Package session runs a load test with its outputs, the way the surge
// command does, so that Go programs, the CLI and (later) a coordinator
// and local workers all start tests through one path.
//
// Run takes an engine.Test and its metadata and wires it to what the run
// should produce: the live progress line and the summary (to writers of
// the caller's choosing, or none), the results file (spooled to disk as
// the test goes, so memory stays flat), the stream (the results as they
// come, a line a second, so that a killed run leaves what it measured),
// the HTML report, a scrape of the target's Prometheus metrics, the
// test's own metrics served to Prometheus and pushed by remote write
// (package promexport), and a live dashboard that can steer or stop the
// test. It sets the test's OnSnapshot, Control and Abort itself and
// returns the results document and how the run ended.
//
// Run also judges the test's thresholds and alerts on every snapshot
// (package judge) and carries out their actions: a line on Notices for
// each change of state (print), the run's verdict (fail), a graceful stop
// of the test (abort), and notifications to webhooks and Alertmanagers
// (notify), sent from their own goroutine so that a slow receiver never
// holds up the test; a firing alert is posted to an Alertmanager again
// while it fires, and resolved when the run ends. The changes of state go
// into the results (alerts), the dashboard and the report.
//
// Live is the dashboard's controller: it runs tests started from the page
// (ServeUI, behind surge ui), or shows and steers a test Run started
// (surge run --dashboard).
//
// For a test split across processes (package distributed), a share runs
// through Run with Options.StartAt (set up, then start at the
// coordinator's instant) and Options.Tap (each snapshot, streamed to the
// coordinator); the coordinator drives the same outputs with Follow, fed
// the merged seconds, and hands it the merged document at the end. Its
// dashboard can stop the test but not steer it.
//
// OneRequest builds the test surge quick runs: one request, serialised
// once, sent on every arrival or iteration through the engine's lean
// prepared path; RoundRobin, several requests sent in turn (surge quick
// with several URLs or a Vegeta targets file).
//
// Errors found before any load is sent (a bad option, a plan that cannot
// run, a dashboard token too short) are *InputError; others (a results
// file that cannot be written at the end, a port already taken) are not.
package session
