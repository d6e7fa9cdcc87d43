package story

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/surge-dev/surge/scaling/lambda"
)

// The Lambda emulator's series (testbed/lambda).
const (
	lambdaConcurrency = "surge_lambda_concurrent_executions"
	lambdaLimit       = "surge_lambda_concurrency_limit"
	lambdaScaling     = "surge_lambda_scaling_limit"
	lambdaThrottles   = "surge_lambda_throttles_total"
	lambdaCold        = "surge_lambda_cold_starts_total"
	lambdaSettings    = "surge_lambda_settings"
)

// lambdaSetup is the function as its settings series describes it.
type lambdaSetup struct {
	cfg   lambda.Config // RateWindow already on the model's clock
	scale float64       // virtual seconds per real second
	// hold is how long an invocation keeps its environment (real time),
	// init what a cold start adds, timeout where it ends.
	hold, init, timeout time.Duration
}

// causeLines are the throttle causes in the order they are drawn.
var causeLines = []lambda.Throttle{lambda.ScalingRate, lambda.AccountConcurrency, lambda.ReservedConcurrency,
	lambda.AccountRate, lambda.ReservedRate}

func lambdaStory(rn *run, opts Options) *Story {
	st := &Story{Kind: Lambda, Title: "Lambda function: load, concurrency, throttles, cold starts", T: rn.t}
	rn.alignMonitor(rn.keys(lambdaThrottles))
	setup, err := readLambdaSetup(rn.labels(lambdaSettings))
	var pred *lambdaPrediction
	switch {
	case err != nil:
		st.Notes = append(st.Notes, "No prediction: "+err.Error()+".")
	case !opts.NoPrediction:
		budget := opts.ReplayBudget
		if budget <= 0 {
			budget = DefaultReplayBudget
		}
		var perr error
		pred, perr = predictLambda(setup, rn, budget)
		st.Predicted = pred != nil
		if perr != nil {
			st.Notes = append(st.Notes, "No prediction: "+perr.Error()+".")
		}
	}
	causes := throttlesByCause(rn)
	var predServed, predConc, predThrottled, predCold Series
	if pred != nil {
		predServed, predConc, predThrottled, predCold = pred.served, pred.concurrency, pred.throttled, pred.cold
	}
	st.addChart(chart("load", "Offered and served load (requests/s)", "/s",
		Line{"offered", Observed, rn.offered}, Line{"served (2xx/3xx)", Observed, rn.served},
		Line{"served, predicted", Predicted, predServed}))
	st.addChart(chart("concurrency", "Concurrent executions against the limits", "",
		Line{"concurrent executions", Observed, rn.gauge(lambdaConcurrency)},
		Line{"concurrency limit", Limit, rn.gauge(lambdaLimit)},
		Line{"scaling limit (environments + headroom)", Limit, rn.gauge(lambdaScaling)},
		Line{"concurrency, predicted", Predicted, predConc}))
	lines := []Line{}
	for _, c := range causeLines {
		if s, ok := causes[c]; ok && s.sum() > 0 {
			lines = append(lines, Line{causeLabel(c), Observed, s})
		}
	}
	st.addChart(chart("throttles", "Throttles per second, by cause", "/s", append(lines, Line{"throttles, predicted", Predicted, predThrottled})...))
	st.addChart(chart("cold-starts", "Cold starts per second", "/s",
		Line{"cold starts", Observed, rn.rate(lambdaCold)}, Line{"cold starts, predicted", Predicted, predCold}))
	explainLambda(st, rn, causes, setup, err == nil, pred)
	return st
}

// throttlesByCause sums the throttle counters of each cause (over AWS
// reasons) into per-second rates.
func throttlesByCause(rn *run) map[lambda.Throttle]Series {
	keysOf := map[lambda.Throttle][]string{}
	for _, k := range rn.keys(lambdaThrottles) {
		for _, c := range causeLines {
			if label(k, "cause") == c.String() {
				keysOf[c] = append(keysOf[c], k)
			}
		}
	}
	out := map[lambda.Throttle]Series{}
	for c, ks := range keysOf {
		out[c] = rn.rate(ks...)
	}
	return out
}

func causeLabel(c lambda.Throttle) string {
	switch c {
	case lambda.ScalingRate:
		return "scaling rate"
	case lambda.AccountConcurrency:
		return "account concurrency"
	case lambda.ReservedConcurrency:
		return "reserved concurrency"
	case lambda.AccountRate:
		return "account invocation rate"
	case lambda.ReservedRate:
		return "reserved invocation rate"
	}
	return c.String()
}

// readLambdaSetup reads the settings series' labels.
func readLambdaSetup(l map[string]string) (lambdaSetup, error) {
	if l == nil {
		return lambdaSetup{}, fmt.Errorf("the run did not monitor %s, the function's settings", lambdaSettings)
	}
	p := labelParser{labels: l}
	cfg := lambda.Config{
		AccountConcurrency:     p.int("account_concurrency"),
		ReservedConcurrency:    p.int("reserved_concurrency"),
		ProvisionedConcurrency: p.int("provisioned_concurrency"),
		ScalingModel:           lambda.ScalingModel(l["scaling_model"]),
		Burst:                  p.int("burst"),
		RequestsPerEnvironment: p.int("requests_per_environment"),
		Timeout:                p.seconds("timeout_seconds"),
		IdleExpiry:             p.seconds("idle_expiry_seconds"),
	}
	s := lambdaSetup{scale: p.float("time_scale"), hold: p.seconds("handler_seconds"), init: p.seconds("init_seconds"),
		timeout: cfg.Timeout}
	// The emulator runs the rate limit per real second: on the model's
	// clock its window is stretched by the time scale.
	cfg.RateWindow = time.Duration(float64(p.seconds("rate_window_seconds")) * s.scale)
	cfg.HandlerDuration, cfg.InitDuration = s.hold, s.init
	s.cfg = cfg
	if p.err != nil {
		return lambdaSetup{}, p.err
	}
	if !(s.scale > 0) {
		return lambdaSetup{}, fmt.Errorf("%s has time scale %v", lambdaSettings, s.scale)
	}
	if err := cfg.Validate(); err != nil {
		return lambdaSetup{}, err
	}
	return s, nil
}

// labelParser reads numbers from labels, keeping the first error.
type labelParser struct {
	labels map[string]string
	err    error
}

func (p *labelParser) float(name string) float64 {
	v, err := strconv.ParseFloat(p.labels[name], 64)
	if err != nil && p.err == nil {
		p.err = fmt.Errorf("the settings label %s=%q is not a number", name, p.labels[name])
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return v
}

func (p *labelParser) int(name string) int { return int(p.float(name)) }

func (p *labelParser) seconds(name string) time.Duration {
	return time.Duration(p.float(name) * float64(time.Second))
}
