package cli

import (
	"fmt"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
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

// flagValue is a flag's own value, under onceOnly's wrapper.
func flagValue(f *pflag.Flag) pflag.Value {
	if o, ok := f.Value.(*onceValue); ok {
		return o.Value
	}
	return f.Value
}
