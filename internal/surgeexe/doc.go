// Package surgeexe lets a test run the surge command as a program, the way
// a user's shell script or a CI job runs it, without building a binary:
// the test binary doubles as surge. A package's TestMain calls Main; when
// the test binary is started through the `surge` program Install writes,
// it runs the command line (internal/cli) and exits with its code,
// otherwise it runs the tests.
//
// Start runs a long-lived surge command (a target, an emulator) in the
// background and returns the URL it printed; the test's cleanup stops it
// with SIGTERM, as Ctrl-C would.
package surgeexe
