// Package fleettarget serves an emulated ECS/Fargate service behind an
// Application Load Balancer over HTTP, so that a load test can watch it
// scale.
//
// It owns the request path, the tasks' capacity and the clock. Requests
// go round-robin to the healthy tasks of the scaling/fleet model; with
// none, the server answers 503 as an ALB with no healthy targets does.
// Every task runs the heavy target (package testbed): its endpoints answer,
// with their own latency, memory and failures. Each task is a single
// worker, and a request holds it for the CPU the request costs: a base of
// 1/TaskCapacity plus what its path burns (/cpu?ms=N adds N ms), so a
// task serves TaskCapacity plain requests a second but far fewer heavy
// ones. A request waits its turn (latency grows as load nears capacity),
// and one that would wait longer than QueueTimeout is answered 503 at once
// (errors appear when a task is saturated). The CPU is charged to the
// worker, not burnt on the host, so that many emulated tasks fit on one
// machine beside the load generator. A background goroutine, started by
// New and stopped by Close, reports the traffic and the tasks' busy time
// to the model every Tick, steps it, and rebuilds the routing table from
// its tasks.
//
// TimeScale speeds up the model's clock: with 60, a virtual minute passes
// in one real second, so every scaling rule runs that much faster — the
// one-minute datapoints, the 3 and 15 datapoint alarms, both cooldowns,
// task start, the health check and the deregistration delay. A request's
// own service time (its CPU cost) and QueueTimeout stay in real time.
// Traffic keeps its real rate in the model: N real requests per second
// count as N requests per virtual second, so CPU utilisation and requests
// per target read the same as they would in real time.
//
// /metrics serves the model, and per endpoint pattern the requests, the
// task CPU they cost and their duration, in Prometheus text format from a
// registry private to the server; /_surge/status serves a JSON snapshot.
package fleettarget
