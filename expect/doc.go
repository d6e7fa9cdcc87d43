// Package expect owns the checks of Artillery's expect plugin: compiling a
// request's expect list once (statusCode, notStatusCode, contentType,
// hasProperty, notHasProperty, equals, hasHeader, headerEquals,
// matchesRegexp, cdnHit) and running it against each response, producing
// one Result per check with the type, expected and got texts Artillery
// prints and counts (plugins.expect.ok.<type> / failed.<type>).
//
// Semantics follow the plugin in Artillery 2.0.34: values are templated per
// response; the body is parsed as JSON only when the content-type names a
// JSON type; status codes compare as JavaScript numbers; contentType "json"
// needs a parsed object and a JSON content-type, any other value must equal
// the whole header ignoring case; equals compares the String() of every
// rendered element; matchesRegexp tests String(body), so a parsed JSON
// object reads as "[object Object]". Failing checks never stop the VU here:
// what a failure does (exit code 21, reportFailuresAsErrors) is the
// caller's policy.
//
// The package is pure: no network, no goroutines, no clock. It imports the
// capture package (for Response and regexp translation) and templating.
package expect
