// Package notify tells people about alarms: it sends Alertmanager's
// webhook payload (version 4, firing and resolved) straight to a receiver,
// and posts alerts to a running Alertmanager's API (/api/v2/alerts), so a
// load test's alarms reach the same routes, silences and pagers as
// production's.
//
// It owns the wire formats, written from Alertmanager's documentation
// (the webhook_config section of its configuration page, and its API's
// postable alert), how an alarm's transitions become alerts (firing when
// an alarm enters ALARM, resolved when it leaves), and the HTTP calls,
// each bounded by a timeout. Labels identify an alert: its fingerprint is
// Alertmanager's own (prometheus/common's label-set fingerprint).
package notify
