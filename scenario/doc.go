// Package scenario reads test scripts: Artillery-compatible YAML (or JSON)
// with config, phases and scenarios of flow steps.
//
// It owns the script model and its strict decoding. Every value keeps the
// line and column it came from, so a broken script is reported as
// file:line:col with what was expected, and an unknown key gets a
// did-you-mean. Nothing here touches the network or the clock; turning a
// script into load is the job of package flow.
package scenario
