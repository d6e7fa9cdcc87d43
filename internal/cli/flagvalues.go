package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/surge-dev/surge/internal/decimal"
)

// onceOnly refuses a single-value flag given twice under c: pflag keeps
// the last silently, so -o a.json -o b.json wrote only b.json and a
// second --overrides dropped the first. Repeatable flags (lists) and
// switches are left alone. Like decimalOnly, it covers the flags there
// are now and those added later.
func onceOnly(c *cobra.Command) {
	wrap := func(f *pflag.Flag) {
		if _, done := f.Value.(*onceValue); done {
			return
		}
		if _, list := f.Value.(pflag.SliceValue); list || f.Value.Type() == "bool" {
			return
		}
		f.Value = &onceValue{Value: f.Value}
		if f.DefValue == "0s" {
			// pflag's help tells a zero default by the value's type, which
			// the wrapper hides; "0" it knows for any type.
			f.DefValue = "0"
		}
	}
	visitFlags(c, wrap)
}

// onceValue is a flag value that may be set once.
type onceValue struct {
	pflag.Value
	first string
	set   bool
}

func (v *onceValue) Set(s string) error {
	if v.set {
		return fmt.Errorf("given twice (%q, then %q): it takes one value, give it once", v.first, s)
	}
	v.first, v.set = s, true
	return v.Value.Set(s)
}

// flagValue is a flag's own value, under the wrappers of this file.
func flagValue(f *pflag.Flag) pflag.Value {
	v := f.Value
	if p, ok := v.(*nonEmptyValue); ok {
		v = p.Value
	}
	if o, ok := v.(*onceValue); ok {
		v = o.Value
	}
	return v
}

// pathFlags are the flags that name a file to read or write.
var pathFlags = map[string]bool{"output": true, "report": true, "junit": true, "stream": true, "alerts": true,
	"config": true, "payload": true, "dotenv": true, "body-file": true, "targets": true}

// nonEmptyPaths refuses an empty path given to a file flag under c:
// -o ” wrote no file and said nothing (a variable left unset in a CI
// script, say), where leaving the flag out is how to write none.
func nonEmptyPaths(c *cobra.Command) {
	visitFlags(c, func(f *pflag.Flag) {
		if _, done := f.Value.(*nonEmptyValue); done || !pathFlags[f.Name] || f.Value.Type() != "string" {
			return
		}
		f.Value = &nonEmptyValue{Value: f.Value}
	})
}

// nonEmptyValue is a path flag's value, which may not be empty.
type nonEmptyValue struct{ pflag.Value }

func (v *nonEmptyValue) Set(s string) error {
	if strings.TrimSpace(s) == "" {
		return errors.New("an empty path: give a file, or leave the flag out")
	}
	return v.Value.Set(s)
}

// pflag reads its float flags with strconv.ParseFloat, which takes 0x1p3
// as 8 and "inf" and "nan", and its integer flags with base 0, which
// takes 010 as 8 and 0x10 as 16. decimalOnly puts a check in front of
// every such flag under c, so that a number not written in decimal is a
// usage error naming the value, for the flags there are now and those
// added later.
func decimalOnly(c *cobra.Command) {
	wrap := func(f *pflag.Flag) {
		if _, done := flagValue(f).(decimalValue); done {
			return
		}
		switch f.Value.Type() {
		case "float32", "float64":
			f.Value = decimalValue{Value: f.Value, ok: decimal.IsFloat, want: "a decimal number such as 2, 0.5 or 1e3"}
		case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64":
			f.Value = decimalValue{Value: f.Value, ok: decimal.IsInt, want: "a whole number in decimal, without a leading zero"}
		}
	}
	visitFlags(c, wrap)
}

// visitFlags calls fn for every flag of c and of the commands under it.
func visitFlags(c *cobra.Command, fn func(*pflag.Flag)) {
	c.Flags().VisitAll(fn)
	c.PersistentFlags().VisitAll(fn)
	for _, sub := range c.Commands() {
		visitFlags(sub, fn)
	}
}

// decimalValue is a numeric flag that takes decimal notation only.
type decimalValue struct {
	pflag.Value
	ok   func(string) bool
	want string
}

func (v decimalValue) Set(s string) error {
	if !v.ok(s) {
		return fmt.Errorf("want %s", v.want)
	}
	return v.Value.Set(s)
}
