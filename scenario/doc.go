// Package scenario reads test scripts: Artillery-compatible YAML (or JSON)
// with config, phases, scenarios of flow steps, and before/after sections.
//
// It owns the script model, its assembly as artillery run does it (further
// files and --config merged lodash-style, the -e environment, -t, -p,
// --overrides, -v, then the config section's templates rendered once), and
// its strict decoding. Every value keeps the line and column it came from,
// also when it came from another file or a flag, so a broken script is
// reported as file:line:col with what was expected, and an unknown key gets
// a did-you-mean. Keys Artillery accepts but Surge ignores, an unused JS
// processor and unknown top-level keys only warn (Script.Warnings); every
// construct that would run JavaScript is an error naming the native
// alternative.
//
// Nothing here touches the network or the clock; turning a script into
// load is the job of package flow.
package scenario
