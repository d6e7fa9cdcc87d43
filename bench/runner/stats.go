package main

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Run is the metrics of one run of one tool, by name.
type Run map[string]float64

// Row is every run of one tool in one scenario.
type Row struct {
	Tool string
	Runs []Run
	Skip string   // why the tool did not run here (the row shows this)
	Errs []string // failures of single runs
	Note string
}

// Stat is the median of a metric over the runs, with its range.
type Stat struct {
	Med, Min, Max float64
	N             int
}

// Get summarises metric key over the row's runs.
func (r *Row) Get(key string) (Stat, bool) {
	var vs []float64
	for _, run := range r.Runs {
		if v, ok := run[key]; ok && !math.IsNaN(v) {
			vs = append(vs, v)
		}
	}
	if len(vs) == 0 {
		return Stat{}, false
	}
	return Stat{Med: median(vs), Min: slices.Min(vs), Max: slices.Max(vs), N: len(vs)}, true
}

func median(vs []float64) float64 {
	s := slices.Clone(vs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// quantile is the nearest-rank q-quantile (0..1) of sorted values.
func quantile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return math.NaN()
	}
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// Col is one column of a results table.
type Col struct {
	Key   string
	Title string
	Prec  int  // decimals
	Range bool // show min–max beside the median
}

// cell formats the median of key with its range.
func (r *Row) cell(c Col) string {
	s, ok := r.Get(c.Key)
	if !ok {
		return "–"
	}
	out := num(s.Med, c.Prec)
	if c.Range && s.N > 1 {
		out += fmt.Sprintf(" (%s–%s)", num(s.Min, c.Prec), num(s.Max, c.Prec))
	}
	return out
}

// num formats v with thousands separators.
func num(v float64, prec int) string {
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return "–"
	}
	s := fmt.Sprintf("%.*f", prec, math.Abs(v))
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if v < 0 && strings.Trim(s, "0.") != "" {
		b.WriteByte('-')
	}
	for i, ch := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(ch)
	}
	if frac != "" {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}
