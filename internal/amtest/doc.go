// Package amtest helps tests talk to a real Alertmanager: it finds and
// starts Debian's prometheus-alertmanager on a loopback port with a route
// to a loopback webhook receiver, and the receiver decodes what it gets
// into the webhook payload as Alertmanager's documentation writes it
// (typed by hand from the documentation, not from Surge's own types, so
// the two can disagree).
//
// Without the binary a test skips and says how to install it; with the
// CI environment variable set it fails (.ci/run installs the package).
package amtest
