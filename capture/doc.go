// Package capture owns what a script takes out of a response: Artillery's
// capture entries (json, xpath, regexp, header, selector) and the legacy
// match entries, the
// small Response type that captures and expectations share (with a JSON body
// decoded at most once), and the translation of jsonpath-plus and JavaScript
// regular expressions into RFC 9535 JSONPath and RE2.
//
// Semantics follow Artillery 2.0.34: expressions are templated, a JSONPath
// matching several values yields one at random (multiple: false yields them
// all), a value that is undefined or "" is a failed capture, a failed strict
// capture or match fails the VU with "Failed capture or match" and then no
// variable from that response is set, and non-strict failures still assign
// their "" or undefined value. A selector capture reads HTML as cheerio
// does (goquery), an xpath capture reads XML as artillery-xml-capture would
// (xmlquery). JavaScript transform captures are rejected at compile time.
//
// The package is pure: no network, no goroutines, no clock. Besides the
// templating package it imports the JSONPath, HTML and XML query libraries.
package capture
