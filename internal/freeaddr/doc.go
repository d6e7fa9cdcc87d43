// Package freeaddr finds a free loopback TCP address for a test to give a
// server or a process it starts (a dashboard, Prometheus, Alertmanager, a
// coordinator). The port is free when asked; a test that must be sure
// retries, as the daemon starters do.
package freeaddr
