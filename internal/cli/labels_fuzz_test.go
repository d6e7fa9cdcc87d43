package cli

import (
	"maps"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/surge-dev/surge/promexport"
)

// FuzzParseLabels: no --prometheus-label values panic parseLabels; what
// it accepts are label names a receiver takes (CheckLabelName) with
// UTF-8 values, each name given once, and the labels written back as
// NAME=VALUE read back the same.
func FuzzParseLabels(f *testing.F) {
	for _, c := range [][2]string{{"run=r1", "env=ci"}, {"run=", "run=2"}, {"a=b=c", ""}, {"run", ""}, {"__name__=x", ""},
		{"le=5", ""}, {"endpoint=x", ""}, {"1a=x", ""}, {"=x", ""}, {"run=\xff", ""}, {"run=é", "x=\n"}, {"job=", "instance=h"}, {"run=a", "run=a"}, {"env=", "env="}} {
		f.Add(c[0], c[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		list := []string{a}
		if b != "" {
			list = append(list, b)
		}
		labels, err := parseLabels(list)
		if err != nil {
			return
		}
		want := map[string]string{}
		for _, l := range list {
			name, value, _ := strings.Cut(l, "=")
			if _, twice := want[name]; twice {
				t.Fatalf("%q: accepted %s twice", list, name)
			}
			want[name] = value
		}
		if !maps.Equal(labels, want) {
			t.Fatalf("%q: %v, want %v", list, labels, want)
		}
		var back []string
		for name, value := range labels {
			if err := promexport.CheckLabelName(name); err != nil || !utf8.ValidString(value) {
				t.Fatalf("%q: accepted %q=%q (%v)", list, name, value, err)
			}
			back = append(back, name+"="+value)
		}
		if again, err := parseLabels(back); err != nil || !maps.Equal(again, labels) {
			t.Fatalf("%q written as %q reads back as %v, %v", list, back, again, err)
		}
	})
}
