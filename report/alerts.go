package report

import (
	"github.com/surge-dev/surge/results"
)

// Mark is one alert's change of state on the time charts: a vertical
// line at T (seconds since the start), red where it entered ALARM.
type Mark struct {
	T     float64 `json:"t"`
	Label string  `json:"label"`
	State string  `json:"state"`           // the state entered; "" for a change of load
	Color string  `json:"color,omitempty"` // "": red entering ALARM, grey otherwise
}

// loadColor draws the changes of load, apart from the alerts' marks.
const loadColor = "#2563eb"

// loadRow is one change of load in the report's table.
type loadRow struct{ At, By, Load string }

// loadMarks are the changes of load for the charts.
func loadMarks(changes []results.LoadChange) []Mark {
	var out []Mark
	for _, c := range changes {
		out = append(out, Mark{T: c.T, Label: "load → " + c.Describe() + " (" + c.By + ")", Color: loadColor})
	}
	return out
}

func loadRows(changes []results.LoadChange) []loadRow {
	var out []loadRow
	for _, c := range changes {
		out = append(out, loadRow{At: fmtDuration(c.T), By: c.By, Load: c.Describe()})
	}
	return out
}

// alertRow is one change of state in the report's alerts table.
type alertRow struct {
	At, Alert, From, To, Value, Reason string
	Alarm                              bool // entered ALARM
}

// marks are the alerts' changes of state for the charts.
func marks(evs []results.AlertEvent) []Mark {
	var out []Mark
	for _, ev := range evs {
		out = append(out, Mark{T: ev.T, Label: ev.Alert + ": " + ev.From + " → " + ev.To, State: ev.To})
	}
	return out
}

func alertRows(evs []results.AlertEvent) []alertRow {
	var out []alertRow
	for _, ev := range evs {
		row := alertRow{At: fmtDuration(ev.T), Alert: ev.Alert, From: ev.From, To: ev.To, Value: "–",
			Reason: ev.Reason, Alarm: ev.To == "ALARM"}
		if ev.Value != nil {
			row.Value = alertValue(*ev.Value, ev.Unit)
		}
		out = append(out, row)
	}
	return out
}

// alertValue writes a datapoint in its unit as the tables do.
func alertValue(v float64, unit string) string {
	switch unit {
	case "ms":
		return fmtMs(v)
	case "%":
		return fmtFloat(roundSig(v, 3)) + " %"
	case "/s":
		return fmtFloat(roundSig(v, 3)) + "/s"
	}
	return fmtFloat(roundSig(v, 4))
}
