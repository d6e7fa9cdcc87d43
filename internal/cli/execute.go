package cli

import (
	"context"
	"errors"
	"fmt"
	goio "io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"unicode/utf8"

	"github.com/spf13/pflag"
	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/monitor"
	"github.com/surge-dev/surge/promexport"
	"github.com/surge-dev/surge/report"
	"github.com/surge-dev/surge/results"
	"github.com/surge-dev/surge/scenario"
	"github.com/surge-dev/surge/session"
	"github.com/surge-dev/surge/threshold"
)

// defaultDashboardAddr is Locust's port, on loopback.
const defaultDashboardAddr = "127.0.0.1:8089"

// outputOptions are the flags every load-generating command shares.
type outputOptions struct {
	output        string
	reads         []string // files the command reads, which no output may replace
	quiet         bool
	monitor       string   // Prometheus endpoint of the target, scraped each second
	monitorSeries []string // which series to keep (default: all but go_/process_)
	report        string   // write the HTML report to this file ("": none)
	dashboard     string   // serve the live dashboard on this address ("" : none)
	token         string   // dashboard token (required off loopback)
	allowHosts    []string // host names the dashboard answers to without a token
	stream        string   // write the results as they come to this file ("-": stdout; "": none)
	prometheus    session.Prometheus
	promLabels    []string // NAME=VALUE labels on pushed series
	// verdicts evaluates the script's ensure checks, for the report and
	// the dashboard (nil: none).
	verdicts func(*results.Results) []report.Verdict
	ruleOptions
	// thresholds and alerts are judged while the test runs (parsed from
	// --threshold, --alerts and the script).
	thresholds []threshold.Threshold
	alerts     scenario.Alerts
}

// addOutputFlags are where a test's results go, alike in run, quick and
// a Go program's users: the results file, the terminal, the stream,
// Prometheus, the target's monitored series and the dashboard.
func addOutputFlags(f *pflag.FlagSet, output *string, quiet *bool, o *outputOptions) {
	f.StringVarP(output, "output", "o", "", "write the results JSON to this file (checked before the test; a device or FIFO is written in place; "+
		"not -: --stream - is the results on stdout, -o /dev/stdout the document)")
	f.BoolVarP(quiet, "quiet", "q", false, "print nothing but errors and checks")
	addStreamFlags(f, o)
	addPrometheusFlags(f, o)
	addMonitorFlags(f, o)
	addDashboardFlags(f, o)
}

func addDashboardFlags(f *pflag.FlagSet, o *outputOptions) {
	f.StringVar(&o.report, "report", o.report, "write the self-contained HTML report to this file")
	f.StringVar(&o.dashboard, "dashboard", "", "serve the live dashboard while the test runs (default address "+defaultDashboardAddr+")")
	f.Lookup("dashboard").NoOptDefVal = defaultDashboardAddr
	f.StringVar(&o.token, "dashboard-token", os.Getenv("SURGE_DASHBOARD_TOKEN"), "token the dashboard requires off loopback, at least 16 characters (default: $SURGE_DASHBOARD_TOKEN or a random one)")
	addAllowHostFlag(f, &o.allowHosts)
}

func addStreamFlags(f *pflag.FlagSet, o *outputOptions) {
	f.StringVar(&o.stream, "stream", "", "write the results as the test goes, a JSON line per second, to this file (- for stdout; "+
		"surge report and compare read it, even cut short, a dashboard reset included; a FIFO waits for its reader, Ctrl-C ends the wait)")
}

func addPrometheusFlags(f *pflag.FlagSet, o *outputOptions) {
	p := &o.prometheus
	f.StringVar(&p.Addr, "prometheus", "", "serve the test's metrics for Prometheus to scrape at http://ADDR/metrics (default address "+
		promexport.DefaultAddr+")")
	f.Lookup("prometheus").NoOptDefVal = promexport.DefaultAddr
	f.DurationVar(&p.Linger, "prometheus-linger", 0, "with --prometheus: after the test, keep serving until a scrape has read the final values, at most this long")
	addRemoteWriteFlags(f, o)
}

// addRemoteWriteFlags adds --prometheus-remote-write and its labels,
// which surge k8s passes on.
func addRemoteWriteFlags(f *pflag.FlagSet, o *outputOptions) {
	p := &o.prometheus
	urlVarP(f, &p.RemoteWrite, "prometheus-remote-write", "", "push the same metrics every second to this remote-write (1.0) URL, "+
		"e.g. http://127.0.0.1:9090/api/v1/write; the end waits 5s at most for the last push (Ctrl-C ends the wait)")
	f.StringArrayVar(&o.promLabels, "prometheus-label", nil, "with --prometheus-remote-write, NAME=VALUE: a label on every pushed series, "+
		"over job=surge and instance=HOST (repeatable; NAME= drops one; not a name Surge's series use, such as le or endpoint); "+
		"give concurrent runs their own, e.g. run=$RUN_ID")
}

// parseLabels reads --prometheus-label's NAME=VALUE pairs. A name given
// twice is an error: the later value would win without a word, and a
// series pushed with the wrong label is found only later, in Prometheus.
func parseLabels(list []string) (map[string]string, error) {
	if len(list) == 0 {
		return nil, nil
	}
	out := make(map[string]string, len(list))
	for _, l := range list {
		name, value, ok := strings.Cut(l, "=")
		if !ok {
			return nil, fmt.Errorf("%q is not NAME=VALUE", l)
		}
		if err := promexport.CheckLabelName(name); err != nil {
			return nil, err
		}
		if !utf8.ValidString(value) { // remote write's strings are UTF-8: a receiver would refuse every push
			return nil, fmt.Errorf("%q: the value is not UTF-8", l)
		}
		if first, twice := out[name]; twice {
			return nil, fmt.Errorf("%q: the label %s is given twice (first as %q); give each label once", l, name, name+"="+first)
		}
		out[name] = value
	}
	return out, nil
}

func addMonitorFlags(f *pflag.FlagSet, o *outputOptions) {
	urlVarP(f, &o.monitor, "monitor", "", "scrape this Prometheus endpoint of the target every second (e.g. http://127.0.0.1:8080/metrics)")
	f.StringArrayVar(&o.monitorSeries, "monitor-series", nil, "series to keep from --monitor (metric name or exact series; repeatable)")
}

// addAllowHostFlag is the one flag, on every command that serves the
// dashboard, that names the host names it answers to without a token.
func addAllowHostFlag(f *pflag.FlagSet, hosts *[]string) {
	f.StringArrayVar(hosts, "dashboard-allow-host", nil, "another host name than localhost, 127.x or [::1] that the "+
		"tokenless dashboard answers to (repeatable; others get 403, against DNS rebinding)")
}

// execute runs a test through the session package with the outputs the
// flags ask for. How it ended (interrupted, stopped by a rule) is in the
// result; the error is one the test or an output could not get past.
func execute(ctx context.Context, io IO, t *engine.Test, meta results.Test, out outputOptions) (session.Result, error) {
	if err := checkOutputs(out); err != nil {
		return session.Result{}, err
	}
	o := sessionOptions(ctx, io, out)
	defer setStream(io, out, &o)()
	res, err := session.Run(ctx, t, meta, o)
	if err != nil {
		return res, sessionError(err)
	}
	return res, nil
}

// sessionOptions are the outputs the flags ask for: with --quiet no
// progress, summary or file names, but still the notices on stderr.
func sessionOptions(ctx context.Context, io IO, out outputOptions) session.Options {
	o := session.Options{
		Notices: io.Stderr, ResultsFile: out.output, ReportFile: out.report,
		Monitor:   monitor.Config{URL: out.monitor, Series: out.monitorSeries},
		Dashboard: session.Dashboard{Addr: out.dashboard, Token: out.token, AllowedHosts: out.allowHosts},
		Verdicts:  out.verdicts, Abort: abortOf(ctx), Version: Version,
		Thresholds: out.thresholds, Alerts: out.alerts, Prometheus: prometheusOptions(out),
	}
	if !out.quiet {
		o.Progress, o.Terminal, o.Summary = io.Stderr, isTTY(io.Stderr), io.Stdout
		if out.stream == "-" {
			o.Summary = io.Stderr // standard output carries the stream alone
		}
	}
	return o
}

// prometheusOptions are --prometheus's, with --prometheus-label's labels
// (checked by checkOutputs before any load).
func prometheusOptions(out outputOptions) session.Prometheus {
	p := out.prometheus
	p.Labels, _ = parseLabels(out.promLabels)
	return p
}

// setStream has the session open --stream's file once everything else
// it sets up before the load is up (a port taken then leaves the file as
// it was); close closes it at the end.
func setStream(io IO, out outputOptions, o *session.Options) (close func()) {
	if out.stream == "" {
		return func() {}
	}
	s := &streamFile{stdout: io.Stdout, notices: orStderr(o.Notices, io), path: out.stream}
	o.OpenStream = s.open
	return s.close
}

func orStderr(w goio.Writer, io IO) goio.Writer {
	if w == nil {
		return io.Stderr
	}
	return w
}

// streamFile is --stream's destination, opened when the session asks.
type streamFile struct {
	stdout, notices goio.Writer
	path            string // "-": standard output, left open
	f               *os.File
	stopPipe        func()
}

func (s *streamFile) open(ctx context.Context) (goio.Writer, error) {
	if s.path == "-" {
		s.stopPipe = pipeErrors()
		return s.stdout, nil
	}
	f, err := results.OpenStream(ctx, s.path, func() {
		fmt.Fprintf(s.notices, "stream: waiting for a reader of %s (Ctrl-C to stop)\n", s.path)
	})
	if err != nil {
		return nil, fmt.Errorf("--stream: %w", err)
	}
	s.f = f
	return f, nil
}

func (s *streamFile) close() {
	if s.f != nil {
		s.f.Close()
	}
	if s.stopPipe != nil {
		s.stopPipe()
	}
}

// pipeErrors turns a write to a closed pipe on standard output into an
// error (EPIPE) for the stream to say, instead of the SIGPIPE that kills a
// Go program writing to a broken pipe on fd 1 unless it is notified of
// the signal (os/signal). The run then goes on, writes its results and
// exits 3, as with any stream that cannot be written. release restores
// the default.
func pipeErrors() (release func()) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGPIPE)
	return func() { signal.Stop(sigs) }
}

// sessionError maps the session package's errors to exit codes: what it
// refused before sending anything is a usage error, anything else (a
// port taken, results that could not be written) a failed run.
func sessionError(err error) error {
	var input *session.InputError
	var stopped *session.StoppedError
	switch {
	case errors.As(err, &input):
		return usageError("%v", err)
	case errors.As(err, &stopped):
		return &exitError{code: ExitInterrupted, err: err}
	}
	return runError(err)
}
