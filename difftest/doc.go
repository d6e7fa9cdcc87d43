// Package difftest is Surge's differential suite against real Artillery.
//
// It owns a recording server on 127.0.0.1 (an ephemeral port) that answers a
// small deterministic API and logs every request with its answer, the
// normalization of a run into a Summary (per-endpoint counts, each VU's
// request sequence, canonical requests with their bodies, headers and
// cookies, data flow from responses into later requests, VUs per phase,
// report counters, ensure lines and the exit code), and the scripts of the
// suite with their specs (scripts/). Golden summaries in testdata/golden
// were recorded from Artillery 2.0.34 with cmd/golden (record.sh); the
// package test runs Surge in-process on every script and compares.
package difftest
