// Package story tells what a scaling target did during a run: for a run
// that monitored an emulated (or real) Lambda function or ECS/Fargate
// service, it assembles a few combined charts on one time axis — offered
// against served load, concurrency or tasks against the limits that apply,
// throttles or refusals by cause, cold starts or CPU against its target,
// scaling events as marks — beside what the scaling model predicted for
// the same offered load, and one sentence that explains the biggest gap
// ("throttled from 0:05 to 0:16: the burst limit of 500 was reached;
// +500 per minute after").
//
// It recognises the target by the series present in the results
// (surge_lambda_* or surge_fleet_*); a run without them has no story. The
// limits come from the target's series and from its settings series
// (surge_lambda_settings, surge_fleet_settings), whose labels hold the
// configuration; without the settings the story still draws what was
// measured, but makes no prediction.
//
// The prediction replays the run's offered load through scaling/lambda or
// scaling/fleet, the models the emulators run, behind one function per
// target kind (predict.go), so its numbers cannot drift from the
// emulators'. A Lambda prediction is the capacity planner's own plan
// (plan.PlanLambdaScaled, on the emulator's time scale), so the story
// and `surge plan` replay one way. The package is pure: no clock, no goroutine, no I/O. The
// HTML report and the live dashboard both draw what [Build] returns.
package story
