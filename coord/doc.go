// Package coord holds the coordinator's pure logic, for a test split into
// shares (execution segments) that run on several processes at once: the
// barrier that gathers the shares before the start, the merger that adds
// the shares' seconds as they arrive, the view that turns merged seconds
// into the snapshots a live run's outputs read, and the clock arithmetic
// (offsets measured NTP-style, the start instant on each worker's clock,
// the skew of the starts).
//
// Nothing here reads a clock, touches the network or starts a goroutine:
// package distributed drives these state machines over the wire (package
// coord/wire), and they are tested with tables.
//
// The merger adds the seconds of one plan index with results.MergeInterval,
// the code surge merge uses, so that the live merged view and the final
// merged file add the same numbers the same way.
package coord
