// Package browsertest drives a real headless Chromium for the project's
// browser tests, over the DevTools protocol on a pipe (no port, no Node,
// standard library only). It is imported by tests only.
package browsertest
