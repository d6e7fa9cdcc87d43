// Package threshold reads and judges pass/fail thresholds written as k6
// writes them (p(99)<300ms, avg<200, rate<0.01, count>10) or with
// Surge's names (failure_rate<1%, error_rate<0.5%, rps>100), over every
// request or over those that did not fail (k6's
// http_req_duration{expected_response:true}, Surge's ok_p(95)<500), for
// every endpoint or one ("GET /items: p(95)<250ms"), with k6's abortOnFail and
// delayAbortEval, and an optional sliding window ("over 30s").
//
// Without a window a threshold means what it means in k6: the metric over
// everything since the start. With one, it must hold over every window of
// that length in the run: a late failure cannot hide behind minutes of
// success (grafana/k6#2379), and an abortOnFail threshold stops the run
// within a window of the failure.
//
// It owns the expression syntax (Parse, with errors that name the
// column), and the evaluation over a run's seconds (Evaluator, Judge).
// The package is pure: it reads no clock and starts no goroutine; a
// live run and a results file feed it the same series.Second values.
package threshold
