// Package console prints a test to a terminal: a live progress line while
// it runs and a summary table when it ends.
//
// On a TTY the progress line redraws in place with a bar and an ETA; when
// the output is a file or a CI log it prints plain lines at a slower pace
// so logs stay readable. It consumes metrics snapshots and results
// documents only.
package console
