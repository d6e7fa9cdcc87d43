package fleettarget

import (
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// SettingsMetric is the series that carries the service's settings as
// labels (value 1), so that a results file holds the limits the run met
// and a report can replay the run through the same model. Durations are
// virtual time, as the model counts them.
const SettingsMetric = "surge_fleet_settings"

// settingsGauge exports cfg as the labels of SettingsMetric.
func settingsGauge(cfg Config) prometheus.Collector {
	secs := func(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'g', -1, 64) }
	num := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	itoa := strconv.Itoa
	return prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: SettingsMetric,
		Help: "The service's settings, as labels (durations in virtual seconds); always 1.",
		ConstLabels: prometheus.Labels{
			"min_tasks": itoa(cfg.Min), "max_tasks": itoa(cfg.Max), "desired_tasks": itoa(cfg.Desired),
			"policy":                       string(cfg.Policy),
			"target_cpu":                   num(cfg.TargetCPU),
			"target_requests_per_task":     num(cfg.TargetRequestsPerTask),
			"scale_in_ratio":               num(cfg.ScaleInRatio),
			"task_capacity":                num(cfg.TaskCapacity),
			"scale_out_datapoints":         itoa(cfg.ScaleOutDatapoints),
			"scale_in_datapoints":          itoa(cfg.ScaleInDatapoints),
			"scale_out_cooldown_seconds":   secs(cfg.ScaleOutCooldown),
			"scale_in_cooldown_seconds":    secs(cfg.ScaleInCooldown),
			"task_start_seconds":           secs(cfg.TaskStart),
			"health_check_delay_seconds":   secs(cfg.HealthCheckDelay),
			"deregistration_delay_seconds": secs(cfg.DeregistrationDelay),
			"disable_scale_in":             strconv.FormatBool(cfg.DisableScaleIn),
			"time_scale":                   num(cfg.TimeScale),
		},
	}, func() float64 { return 1 })
}
