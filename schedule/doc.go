// Package schedule turns load phases into arrival times.
//
// It owns the arithmetic of the open model: when each virtual user is meant
// to arrive, as an offset from the start of the test. The arithmetic follows
// Artillery's single-worker behaviour (constant rates, linear ramps counted
// per one-second period, fixed counts spread evenly, pauses), but keeps
// nanosecond spacing so that rates far above 1,000/s stay evenly spread.
// Offsets are exact where they can be (a count over a duration is divided
// in 128 bits) and never go backwards or past their phase's end, up to
// 2^53 arrivals a phase; plans beyond that are refused.
//
// Execution segments cut one plan into shares for several generators
// ([Sequence], [Segment]): each share derives, from the whole sequence
// alone, which global arrival indices and which closed-model users are its
// own, so that the shares together run exactly the single-run plan, each
// arrival once and at its single-run intended time ([Plan.DueIn]).
//
// Everything here is pure: no clock, no goroutines. The i-th arrival of a
// plan is found in O(log phases + log seconds) by [Plan.Due], which is what
// lets execution segments walk only the arrivals they own.
package schedule
