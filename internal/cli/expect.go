package cli

import (
	"github.com/spf13/pflag"
	"github.com/surge-dev/surge/metrics"
)

// statusFlag is --expect-status: the response statuses that are not
// failures. It parses when the flag is read, so a bad list is a usage
// error (exit code 2) before anything is sent; set stays nil when the
// flag is not given.
type statusFlag struct{ set *metrics.StatusSet }

func (f *statusFlag) String() string {
	if f.set == nil {
		return ""
	}
	return f.set.String()
}

func (f *statusFlag) Set(spec string) error {
	s, err := metrics.ParseStatusSet(spec)
	if err != nil {
		return err
	}
	f.set = &s
	return nil
}

func (f *statusFlag) Type() string { return "statuses" }

func addExpectFlag(fs *pflag.FlagSet, f *statusFlag) {
	fs.Var(f, "expect-status", "response statuses that are not failures: codes, ranges and classes, "+
		"e.g. 200-399,404 or 2xx (default 100-399: every 4xx and 5xx is a failure)")
}
