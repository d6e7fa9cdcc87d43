// Package templating owns Artillery's "{{ }}" template language: parsing a
// string once into a [Template], rendering it many times against a [Scope]
// (VU variables, process environment, a random source), deep-rendering whole
// YAML/JSON value trees through [CompileValue], and the small set of
// JavaScript value rules the language depends on (how numbers print, what
// String() and Number() return, lodash-style paths, the undefined value).
//
// Rendering follows Artillery 2.0.34 as measured: a string that is exactly one
// "{{ name }}" keeps the value's type; inside longer text, objects print as
// JSON and an undefined variable prints as the text "undefined"; a call to an
// unknown "$fn()" makes the whole string undefined; function results are
// always text. JSON is written with keys in JavaScript's order: an [Object]
// (a json body as written) keeps its order, a Go map's keys are sorted, and
// array-index keys ("7") come first in both.
//
// The package is pure: no I/O, no goroutines, no clock. Randomness comes only
// from the *rand.Rand the Scope carries. It imports no other Surge package.
package templating
