package cli

import (
	"fmt"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/surge-dev/surge/internal/decimal"
)

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
