package cli

import (
	"io"
	"math"
	"os"
	"strings"
	"time"

	"github.com/surge-dev/surge/internal/fileinput"
	"github.com/surge-dev/surge/monitor"
	"github.com/surge-dev/surge/results"
	"github.com/surge-dev/surge/scenario"
)

// defaultQuickRate is the open model's rate when neither --rate nor
// --users is given.
const defaultQuickRate = 50

// maxBodyBytes bounds --body @FILE: the body is held in memory once and
// sent by every request.
const maxBodyBytes = 256 << 20

// checkOutputs fails at once, before any load, when --output, --report,
// --junit or --stream cannot be written (before, the test ran to its end and only then failed
// to save what it measured), when two of them name one file, or when the
// --monitor URL is not one.
func checkOutputs(o outputOptions) error {
	if o.monitor != "" {
		if _, err := monitor.New(monitor.Config{URL: o.monitor}); err != nil {
			return usageError("--monitor: %v", err)
		}
	}
	if err := checkPrometheusFlags(o); err != nil {
		return err
	}
	return checkFileOutputs(o)
}

// fileOutput is one flag's output file.
type fileOutput struct{ flag, path string }

// fileOutputs are the files a run writes, as the flags name them.
func fileOutputs(o outputOptions) []fileOutput {
	return []fileOutput{{"--output", o.output}, {"--report", o.report}, {"--junit", o.junit}, {"--stream", o.stream}}
}

// checkFileOutputs is checkFiles for a run's outputs.
func checkFileOutputs(o outputOptions) error { return checkFiles(fileOutputs(o), o.reads...) }

// checkFiles refuses a command's file outputs (those given: path not "")
// that cannot be written, "-" where it would make a file named "-" (only
// --stream writes to standard output: the others are written whole at
// the end, as files), and two outputs that would write one file: the
// later would overwrite the earlier (the results file replacing the
// stream, say) or mix into it. Every command that writes files checks
// them here, before it reads or runs anything. An output may not name
// one of the inputs either: the command would replace what it reads.
func checkFiles(all []fileOutput, inputs ...string) error {
	var outs []fileOutput
	for _, out := range all {
		if out.path != "" {
			outs = append(outs, out)
		}
	}
	for i, out := range outs {
		if out.path == "-" && out.flag != "--stream" {
			return usageError("%s -: would create a file named \"-\": only --stream (of run, quick and users) writes "+
				"to standard output; give %s /dev/stdout to write the whole document there", out.flag, out.flag)
		}
		for _, other := range outs[:i] {
			if results.SameFile(outputPath(out), outputPath(other)) {
				return usageError("%s and %s name the same file (%s): each output needs a file of its own, or "+
					"one would overwrite or mix into the other", other.flag, out.flag, out.path)
			}
		}
	}
	if err := checkNotInputs(outs, inputs); err != nil {
		return err
	}
	for _, out := range outs {
		if out.path == "-" {
			continue
		}
		if err := results.CheckWritable(out.path); err != nil {
			return usageError("%s: %v", out.flag, err)
		}
	}
	return nil
}

// checkNotInputs refuses an output that names a file the command reads
// (by name or through a link): writing it would replace the input, the
// one copy of a test's results or its script, with the output.
func checkNotInputs(outs []fileOutput, inputs []string) error {
	for _, out := range outs {
		if in := results.InputAt(outputPath(out), inputs); in != "" {
			return usageError("%s %s names the same file as the input %s: the output would replace it; "+
				"write to another file", out.flag, out.path, in)
		}
	}
	return nil
}

// outputPath is the file an output writes: --stream - writes standard
// output, which /dev/stdout names.
func outputPath(out fileOutput) string {
	if out.path == "-" {
		return "/dev/stdout"
	}
	return out.path
}

// quickFlags says which load flags were given on the command line: only
// when neither --rate nor --users is does the default rate apply.
type quickFlags struct {
	rate, users, spawnRate, requests bool
}

// checkQuickLoad validates the load flags of surge quick: every number
// finite and in range, and the test able to send at least one request.
func checkQuickLoad(o quickOptions, set quickFlags) error {
	if set.rate && set.users {
		return usageError("--rate and --users exclude each other: choose the open or the closed model")
	}
	if err := checkDuration("--duration", o.duration); err != nil {
		return err
	}
	if err := checkDuration("--timeout", o.timeout); err != nil {
		return err
	}
	if o.connections < 0 {
		return usageError("--connections %d: must not be negative (0, the default, leaves the pool to Surge: "+
			"one connection per user, or in the open model one that grows while more help, up to 10,000)", o.connections)
	}
	if set.users {
		return checkUsers(o, set)
	}
	if set.spawnRate {
		return usageError("--spawn-rate needs --users (it paces how users start in the closed model)")
	}
	if !set.rate {
		return nil // the default rate
	}
	if err := checkRate("--rate", o.rate, "requests"); err != nil {
		return err
	}
	if o.rate*o.duration.Seconds() < 1 {
		return usageError("--rate %v over --duration %v sends no request: raise either", o.rate, o.duration)
	}
	return nil
}

func checkUsers(o quickOptions, set quickFlags) error {
	if o.users < 1 || o.users > scenario.MaxUsers {
		return usageError("--users %d: expected 1 to %d users", o.users, scenario.MaxUsers)
	}
	if set.spawnRate {
		return checkRate("--spawn-rate", o.spawnRate, "users started")
	}
	return nil
}

// checkRate accepts a finite rate above zero and at most
// scenario.MaxArrivalRate; NaN, Inf and 0 are refused rather than read as
// "nothing" or "the default".
func checkRate(flag string, v float64, what string) error {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return usageError("%s %v: expected a number of %s per second", flag, v, what)
	case v <= 0 && flag == "--rate":
		return usageError("%s %v: must be positive (leave --rate out for the default of %d a second)", flag, v, defaultQuickRate)
	case v < 0:
		return usageError("%s %v: must not be negative (0 starts every user at once)", flag, v)
	case v > scenario.MaxArrivalRate:
		return usageError("%s %v: above %d %s a second, the most one Surge process starts; run several generators",
			flag, v, scenario.MaxArrivalRate, what)
	}
	return nil
}

func checkDuration(flag string, d time.Duration) error {
	switch {
	case d <= 0:
		return usageError("%s %v: must be positive", flag, d)
	case d > scenario.MaxDuration:
		return usageError("%s %v: longer than %v, the longest Surge runs", flag, d, scenario.MaxDuration)
	}
	return nil
}

// readBody reads --body as curl reads --data: "@FILE" is the content of
// FILE, "@-" standard input, anything else the text itself.
func readBody(spec string, stdin io.Reader) ([]byte, error) {
	name, isFile := strings.CutPrefix(spec, "@")
	if !isFile {
		return []byte(spec), nil
	}
	var (
		data []byte
		err  error
	)
	if name == "-" {
		if stdin == nil {
			stdin = os.Stdin
		}
		data, err = fileinput.ReadAll(stdin, "standard input", maxBodyBytes)
	} else {
		data, err = fileinput.Read(name, maxBodyBytes, fileinput.Streams)
	}
	if err != nil {
		return nil, usageError("--body %s: %v", spec, err)
	}
	return data, nil
}
