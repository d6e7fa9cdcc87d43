// Package plan predicts, without sending load, how an AWS Lambda function
// or an ECS/Fargate service scales under a load profile: per second and in
// sum, the concurrency (or tasks) the load needs, what the scaling rules
// throttle or reject, how long scaling takes, and for Lambda the
// provisioned, reserved or account concurrency that would have removed the
// throttles.
//
// The predictions come from the same models the emulators run
// (scaling/lambda and scaling/fleet), driven on their virtual clock, so the
// planner and the emulators cannot disagree about a rule: the planner only
// turns a profile into arrivals and reads the models' answers. A profile
// is requests per one-second slot, taken from a script's phases (exactly as
// the scheduler would send them) or from a results file's per-second
// intervals.
//
// Everything here is pure: no clock, no goroutines, the same answer every
// run. Rendering (a terminal table) writes to an io.Writer.
package plan
