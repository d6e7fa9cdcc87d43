package lambdatarget

import (
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// SettingsMetric is the series that carries the function's settings as
// labels (value 1), so that a results file holds the limits the run met
// and a report can replay the run through the same model.
const SettingsMetric = "surge_lambda_settings"

// settingsGauge exports cfg as the labels of SettingsMetric.
func settingsGauge(cfg Config) prometheus.Collector {
	secs := func(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'g', -1, 64) }
	itoa := strconv.Itoa
	return prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: SettingsMetric,
		Help: "The function's settings, as labels; always 1.",
		ConstLabels: prometheus.Labels{
			"account_concurrency":      itoa(cfg.AccountConcurrency),
			"reserved_concurrency":     itoa(cfg.ReservedConcurrency),
			"provisioned_concurrency":  itoa(cfg.ProvisionedConcurrency),
			"scaling_model":            string(cfg.ScalingModel),
			"burst":                    itoa(cfg.Burst),
			"requests_per_environment": itoa(cfg.RequestsPerEnvironment),
			"rate_window_seconds":      secs(cfg.RateWindow),
			"handler_seconds":          secs(cfg.HandlerDuration + cfg.HandlerCPU),
			"init_seconds":             secs(cfg.InitDuration),
			"timeout_seconds":          secs(cfg.Timeout),
			"idle_expiry_seconds":      secs(cfg.IdleExpiry),
			"time_scale":               strconv.FormatFloat(cfg.TimeScale, 'g', -1, 64),
		},
	}, func() float64 { return 1 })
}
