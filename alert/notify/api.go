package notify

import (
	"context"
	"net/http"
	"strings"
	"time"
)

// PostableAlert is one alert as Alertmanager's API v2 takes it
// (POST /api/v2/alerts, a JSON list of them). A zero EndsAt is left out:
// the alert fires until Alertmanager's resolve_timeout unless sent again.
type PostableAlert struct {
	Labels       map[string]string `json:"labels"`
	Annotations  map[string]string `json:"annotations,omitempty"`
	StartsAt     time.Time         `json:"startsAt,omitzero"`
	EndsAt       time.Time         `json:"endsAt,omitzero"`
	GeneratorURL string            `json:"generatorURL,omitempty"`
}

// Alertmanager posts alerts to a running Alertmanager. Alertmanager
// deduplicates by labels, so sending a firing alert again (as its
// clients should while the alert lasts) does not notify twice.
type Alertmanager struct {
	URL    string // the Alertmanager's base URL, such as http://127.0.0.1:9093
	Client *http.Client
}

// Post sends alerts, firing or resolved.
func (am *Alertmanager) Post(ctx context.Context, alerts ...Alert) error {
	body := make([]PostableAlert, len(alerts))
	for i, a := range alerts {
		body[i] = PostableAlert(a)
	}
	return postJSON(ctx, am.Client, strings.TrimSuffix(am.URL, "/")+"/api/v2/alerts", body)
}
