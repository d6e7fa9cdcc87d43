package main

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// Conversions the tools' command lines and outputs share.

func ftoa(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func secs(d time.Duration) string { return strconv.Itoa(int(math.Ceil(d.Seconds()))) }

func atof(s string) float64 {
	v, _ := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return v
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	if len(s) > 300 {
		s = s[:300]
	}
	return s
}
