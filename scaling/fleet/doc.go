// Package fleet models an Amazon ECS service on Fargate behind an
// Application Load Balancer, scaled by Application Auto Scaling.
//
// It owns the rules that decide how many tasks serve traffic: the one-minute
// metric datapoints (average CPU utilisation and ALB requests per target),
// the alarms a target-tracking policy creates (3 of 3 datapoints above the
// target to scale out, 15 of 15 below it to scale in), the proportional
// scale-out, the two cooldowns, step scaling as the alternative policy, the
// min/max clamp, and the life of a task: pending while it starts, running
// but not yet in the load balancer until its first health check passes,
// then healthy, and draining for the deregistration delay when it is
// removed.
//
// A [Model] has no clock and starts no goroutines. Time is virtual and
// passed in: [Model.Step] advances it and [Model.Observe] also reports the
// traffic that arrived since the previous call. The same inputs always give
// the same answer. The model is not safe for concurrent use: the HTTP
// server in testbed/fleet wraps it in a mutex and does the routing.
//
// The package imports no other Surge package and nothing from AWS. The
// rules and their sources are listed in docs/scaling.md.
package fleet
