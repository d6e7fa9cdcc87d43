package promexport

import "github.com/prometheus/client_golang/prometheus"

// The series, by Prometheus's naming conventions. Counters are totals
// since the start of the test (a dashboard's "Reset statistics" starts
// them again from zero, which Prometheus reads as a counter reset).
var (
	testInfo = prometheus.NewDesc("surge_test_info",
		"The running test: its name, script and target; always 1.", []string{"name", "script", "target"}, nil)
	requests = prometheus.NewDesc("surge_requests_total",
		"Requests completed, with or without a response.", []string{"endpoint"}, nil)
	failures = prometheus.NewDesc("surge_failures_total",
		"Requests that failed: errors plus responses with a status the test did not expect.", []string{"endpoint"}, nil)
	errorsByKind = prometheus.NewDesc("surge_errors_total",
		"Requests that got no response, by kind of error (ETIMEDOUT, ECONNREFUSED, ...).", []string{"endpoint", "kind"}, nil)
	responses = prometheus.NewDesc("surge_responses_total",
		"Responses by status code.", []string{"endpoint", "code"}, nil)
	sentBytes = prometheus.NewDesc("surge_sent_bytes_total",
		"Bytes sent in requests.", []string{"endpoint"}, nil)
	receivedBytes = prometheus.NewDesc("surge_received_bytes_total",
		"Bytes received in responses.", []string{"endpoint"}, nil)
	latency = prometheus.NewDesc("surge_latency_seconds",
		"Latency from each request's intended start (coordinated omission corrected).", []string{"endpoint"}, nil)
	service = prometheus.NewDesc("surge_service_time_seconds",
		"Service time, from each request's actual send.", []string{"endpoint"}, nil)
	vusCreated = prometheus.NewDesc("surge_vus_created_total",
		"Virtual users started.", nil, nil)
	vusCompleted = prometheus.NewDesc("surge_vus_completed_total",
		"Virtual users that ran their scenario to its end.", nil, nil)
	vusFailed = prometheus.NewDesc("surge_vus_failed_total",
		"Virtual users that stopped on an error.", nil, nil)
	dropped = prometheus.NewDesc("surge_dropped_arrivals_total",
		"Arrivals not started because maxVusers was reached.", nil, nil)
	vus = prometheus.NewDesc("surge_vus",
		"Virtual users running when the last second closed.", nil, nil)
	inFlight = prometheus.NewDesc("surge_requests_in_flight",
		"Requests in flight when the last second closed.", nil, nil)
)

var allDescs = []*prometheus.Desc{testInfo, requests, failures, errorsByKind, responses, sentBytes, receivedBytes,
	latency, service, vusCreated, vusCompleted, vusFailed, dropped, vus, inFlight}
