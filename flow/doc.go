// Package flow turns a parsed script into tests the engine can run.
//
// It owns the meaning of a script at run time: which phases become which
// load model; the variables each VU starts with (built-ins, the before
// section's variables, a payload row, config variables with a random pick
// from lists, $uuid); how every step runs: requests built from templates
// compiled once at load (target prefixing, lower-case default and step
// headers, json/body/form/formData bodies, qs, cookies into the VU's jar,
// basic auth, ifTrue, probability), redirects followed as Artillery's
// HTTP client follows them (redirect.go), captures and matches (a failed
// strict one fails the VU), expect checks when the plugin is on, think
// with jitter, log, loop (with whileTrue as an expression) and parallel;
// which scenario --scenario-name picks; which endpoint each request is
// recorded under; and the Artillery-named counters a script adds
// (vusers.created_by_name.*, plugins.expect.*, apdex.*, errors.*). Before and after sections compile into
// one-VU tests that Program.RunBefore and RunAfter run around the load.
//
// Requests go out over the lean HTTP/1.1 client without an http.Request
// per request whenever nothing in them needs net/http (wire.go says when
// they fall back to it).
//
// Subpackage filtrex evaluates ifTrue, whileTrue and ensure expressions.
package flow
