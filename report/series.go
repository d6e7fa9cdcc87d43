package report

import (
	"encoding/json"
	"math"
	"strconv"
)

// Series is a column of chart values. It is written to JSON rounded to
// six significant digits, with NaN as null: a gap in the chart.
type Series []float64

// MarshalJSON writes the values as a JSON array.
func (s Series) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 2+len(s)*6)
	b = append(b, '[')
	for i, v := range s {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendNum(b, v)
	}
	return append(b, ']'), nil
}

// UnmarshalJSON reads an array written by MarshalJSON; null becomes NaN.
func (s *Series) UnmarshalJSON(b []byte) error {
	var raw []*float64
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	out := make(Series, len(raw))
	for i, p := range raw {
		out[i] = math.NaN()
		if p != nil {
			out[i] = *p
		}
	}
	*s = out
	return nil
}

func appendNum(b []byte, v float64) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return append(b, "null"...)
	}
	return strconv.AppendFloat(b, roundSig(v, 6), 'f', -1, 64)
}
