// Package cli wires Surge's command line to its library packages.
//
// Each command parses its flags into values, checks them (the messages
// name the flags), starts the test through package session, and maps the
// outcome to an exit code (see exitcodes.go). No load-testing logic lives
// here.
package cli
