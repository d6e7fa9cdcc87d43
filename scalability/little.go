package scalability

import "math"

// Little is a check of Little's law, L = X·R, on one steady measurement.
type Little struct {
	Throughput  float64 // X, completed per second
	MeanLatency float64 // R, seconds
	Measured    float64 // L as counted: requests in flight, averaged
	Predicted   float64 // X·R
	// Mismatch is (Measured − Predicted) / Predicted: far from 0 when the
	// measurement was not steady (a queue growing or draining), or when
	// latency counts time the in-flight count does not (an arrival's wait
	// for its turn before it was sent).
	Mismatch float64
}

// LittlesLaw checks measured concurrency against X·R.
func LittlesLaw(throughput, meanLatencySeconds, measuredInFlight float64) Little {
	l := Little{Throughput: throughput, MeanLatency: meanLatencySeconds, Measured: measuredInFlight,
		Predicted: throughput * meanLatencySeconds}
	l.Mismatch = math.NaN()
	if l.Predicted > 0 {
		l.Mismatch = (l.Measured - l.Predicted) / l.Predicted
	}
	return l
}

// Concurrency is the concurrency Little's law gives from throughput and
// mean latency, the N of a USL point measured in the open model.
func Concurrency(throughput, meanLatencySeconds float64) float64 {
	return throughput * meanLatencySeconds
}
