// Package promtest helps tests talk to a real Prometheus: it finds and
// starts Debian's prometheus (2.42) on a loopback port, with its
// remote-write receiver enabled and a scrape job pointed at a given
// address, and queries it back through its HTTP API.
//
// Without the binary a test skips and says how to install it; with the
// CI environment variable set it fails (.ci/run installs the package).
package promtest
