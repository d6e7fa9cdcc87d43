// Package testbed is Surge's built-in system under test: a small HTTP
// service whose cost is whatever you ask of it (`surge target` serves it).
//
// It owns the heavy target: endpoints that burn CPU, hold memory, sleep
// with jitter, fail at a rate, answer any status or size, and a small
// JSON CRUD API for realistic flows; server-wide knobs that make every
// request heavier (CPU, latency, error rate, a concurrency limit, periodic
// stalls); and its /metrics and /_surge/status endpoints. The Lambda and
// fleet emulators live in the sub-packages lambda and fleet (package names
// lambdatarget and fleettarget, as they are what `surge target lambda` and
// `surge target fleet` serve).
package testbed
