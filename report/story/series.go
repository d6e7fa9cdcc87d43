package story

import (
	"math"
	"strconv"
)

// Series is a column of chart values aligned on [Story.T]. It is written
// to JSON with NaN as null (a gap in the chart) and rounded to six
// significant digits.
type Series []float64

// MarshalJSON writes the values as a JSON array.
func (s Series) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 2+len(s)*6)
	b = append(b, '[')
	for i, v := range s {
		if i > 0 {
			b = append(b, ',')
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			b = append(b, "null"...)
			continue
		}
		b = strconv.AppendFloat(b, roundSig(v), 'g', -1, 64)
	}
	return append(b, ']'), nil
}

func roundSig(v float64) float64 {
	if v == 0 {
		return 0
	}
	f, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 6, 64), 64)
	return f
}

// nans returns n NaNs: a series with no value yet.
func nans(n int) Series {
	s := make(Series, n)
	for i := range s {
		s[i] = math.NaN()
	}
	return s
}

// sum is the total of the values that are numbers.
func (s Series) sum() float64 {
	var t float64
	for _, v := range s {
		if !math.IsNaN(v) {
			t += v
		}
	}
	return t
}

// peak returns the largest value and its index, or NaN and -1.
func (s Series) peak() (float64, int) {
	best, at := math.NaN(), -1
	for i, v := range s {
		if !math.IsNaN(v) && (at < 0 || v > best) {
			best, at = v, i
		}
	}
	return best, at
}

// anyValue reports whether the series holds a number.
func (s Series) anyValue() bool {
	_, at := s.peak()
	return at >= 0
}
