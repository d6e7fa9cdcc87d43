// Package monitor watches the system under test while a load test runs.
//
// It owns scraping a Prometheus text endpoint (the built-in targets serve
// one; so do most services) once a second, choosing which series to keep,
// and handing out the latest values so that each second of the results
// carries what the target did beside what the load generator saw.
package monitor
