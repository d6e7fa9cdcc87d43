// Package cli wires Surge's command line to its library packages.
//
// Each command parses its flags into values, calls the library, and maps
// the outcome to an exit code (see exitcodes.go). No load-testing logic
// lives here.
package cli
