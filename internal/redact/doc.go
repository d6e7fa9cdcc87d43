// Package redact hides the values of a URL's query that must not be
// written where a run's outputs go (results, reports, streams, metric
// labels). Callers choose which values: every one (a request's URL in an
// error message) or only those named as credentials (an endpoint's name,
// where the other values tell endpoints apart).
package redact
