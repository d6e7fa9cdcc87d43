package notify

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Message is the JSON body Alertmanager's webhook receivers get
// (version 4), field for field as the webhook_config section of its
// documentation lists them.
type Message struct {
	Version           string            `json:"version"`
	GroupKey          string            `json:"groupKey"`
	TruncatedAlerts   uint64            `json:"truncatedAlerts"`
	Status            string            `json:"status"`
	Receiver          string            `json:"receiver"`
	GroupLabels       map[string]string `json:"groupLabels"`
	CommonLabels      map[string]string `json:"commonLabels"`
	CommonAnnotations map[string]string `json:"commonAnnotations"`
	ExternalURL       string            `json:"externalURL"`
	Alerts            []MessageAlert    `json:"alerts"`
}

// MessageAlert is one alert inside a Message.
type MessageAlert struct {
	Status       string            `json:"status"`
	Labels       map[string]string `json:"labels"`
	Annotations  map[string]string `json:"annotations"`
	StartsAt     time.Time         `json:"startsAt"`
	EndsAt       time.Time         `json:"endsAt"`
	GeneratorURL string            `json:"generatorURL"`
	Fingerprint  string            `json:"fingerprint"`
}

// NewMessage groups alerts into one message, as an Alertmanager whose
// route groups by alertname would: the group key is the root route's
// ("{}") and the group's labels, the status is firing while any alert
// fires, and the common labels and annotations are those every alert
// shares.
func NewMessage(receiver, externalURL string, alerts ...Alert) (Message, error) {
	if len(alerts) == 0 {
		return Message{}, errors.New("webhook: no alert to send")
	}
	group := map[string]string{"alertname": alerts[0].Labels["alertname"]}
	m := Message{Version: "4", GroupKey: "{}:" + labelSet(group).String(), Status: "resolved",
		Receiver: receiver, GroupLabels: group, ExternalURL: externalURL,
		CommonLabels:      common(alerts, func(a Alert) map[string]string { return a.Labels }),
		CommonAnnotations: common(alerts, func(a Alert) map[string]string { return a.Annotations }),
	}
	for _, a := range alerts {
		if a.Labels["alertname"] != group["alertname"] {
			return Message{}, fmt.Errorf("webhook: alerts %q and %q in one group", group["alertname"], a.Labels["alertname"])
		}
		if a.Firing() {
			m.Status = "firing"
		}
		m.Alerts = append(m.Alerts, MessageAlert{Status: a.Status(), Labels: a.Labels, Annotations: a.Annotations,
			StartsAt: a.StartsAt, EndsAt: a.EndsAt, GeneratorURL: a.GeneratorURL, Fingerprint: a.Fingerprint()})
	}
	return m, nil
}

// common is what every alert's map shares, key and value.
func common(alerts []Alert, of func(Alert) map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range of(alerts[0]) {
		shared := true
		for _, a := range alerts[1:] {
			if w, ok := of(a)[k]; !ok || w != v {
				shared = false
				break
			}
		}
		if shared {
			out[k] = v
		}
	}
	return out
}

// Webhook posts Alertmanager's webhook payload to a receiver.
type Webhook struct {
	URL         string
	Receiver    string // the receiver's name in the payload
	ExternalURL string // a link back (the live dashboard), if any
	Client      *http.Client
}

// Send posts one message holding alerts (all of one alertname).
func (w *Webhook) Send(ctx context.Context, alerts ...Alert) error {
	m, err := NewMessage(w.Receiver, w.ExternalURL, alerts...)
	if err != nil {
		return err
	}
	return postJSON(ctx, w.Client, w.URL, m)
}
