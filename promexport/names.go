package promexport

import (
	"slices"

	"github.com/prometheus/client_golang/prometheus"
)

// bucketLabel is the classic buckets' bound label, as the text format
// and remote write both write it.
const bucketLabel = "le"

// ownLabels are the label names Surge's own series carry, gathered as
// each series is declared below (and le, which a histogram's classic
// buckets add): a label given for every series must not be one of them,
// or a series would carry the name twice and a receiver reject it.
var ownLabels = map[string]bool{bucketLabel: true}

// newDesc declares a series and notes its label names in ownLabels.
func newDesc(name, help string, labels ...string) *prometheus.Desc {
	for _, l := range labels {
		ownLabels[l] = true
	}
	return prometheus.NewDesc(name, help, labels, nil)
}

// OwnLabels are the label names Surge's series carry themselves, sorted.
func OwnLabels() []string {
	out := make([]string, 0, len(ownLabels))
	for l := range ownLabels {
		out = append(out, l)
	}
	slices.Sort(out)
	return out
}

// The series, by Prometheus's naming conventions. Counters are totals
// since the start of the test (a dashboard's "Reset statistics" starts
// them again from zero, which Prometheus reads as a counter reset).
var (
	testInfo = newDesc("surge_test_info",
		"The running test: its name, script and target; always 1.", "name", "script", "target")
	requests = newDesc("surge_requests_total",
		"Requests completed, with or without a response.", "endpoint")
	failures = newDesc("surge_failures_total",
		"Requests that failed: errors plus responses with a status the test did not expect.", "endpoint")
	errorsByKind = newDesc("surge_errors_total",
		"Requests that got no response, by kind of error (ETIMEDOUT, ECONNREFUSED, ...).", "endpoint", "kind")
	responses = newDesc("surge_responses_total",
		"Responses by status code.", "endpoint", "code")
	sentBytes = newDesc("surge_sent_bytes_total",
		"Bytes sent in requests.", "endpoint")
	receivedBytes = newDesc("surge_received_bytes_total",
		"Bytes received in responses.", "endpoint")
	latency = newDesc("surge_latency_seconds",
		"Latency from each request's intended start (coordinated omission corrected).", "endpoint")
	service = newDesc("surge_service_time_seconds",
		"Service time, from each request's actual send.", "endpoint")
	latencyOK = newDesc("surge_latency_ok_seconds",
		"Latency of the requests that did not fail, from their intended start (fast failures would pull surge_latency_seconds down).", "endpoint")
	vusCreated = newDesc("surge_vus_created_total",
		"Virtual users started.")
	vusCompleted = newDesc("surge_vus_completed_total",
		"Virtual users that ran their scenario to its end.")
	vusFailed = newDesc("surge_vus_failed_total",
		"Virtual users that stopped on an error.")
	dropped = newDesc("surge_dropped_arrivals_total",
		"Open-model arrivals due but never begun: maxVusers VUs were running, a bounded connection pool "+
			"could not take them (its queue full, or no connection free before the test's end or an interrupt), "+
			"or the generator reached them only after the test's last start.")
	resent = newDesc("surge_requests_resent_total",
		"Requests sent again on a new connection after a reused one was lost with the request written "+
			"(idempotent ones, as net/http retries them): the server may have received both, so its count "+
			"is surge_requests_total plus this.")
	vus = newDesc("surge_vus",
		"Virtual users running when the last second closed.")
	inFlight = newDesc("surge_requests_in_flight",
		"Requests in flight when the last second closed.")
)

var allDescs = append([]*prometheus.Desc{testInfo, requests, failures, errorsByKind, responses, sentBytes, receivedBytes,
	latency, service, latencyOK, vusCreated, vusCompleted, vusFailed, dropped, resent, vus, inFlight}, generatorDescs...)
