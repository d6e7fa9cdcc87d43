package cli

import (
	"context"
	"errors"
	"fmt"
	goio "io"
	"os"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/surge-dev/surge/dashboard"
	"github.com/surge-dev/surge/distributed"
	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/flow"
	"github.com/surge-dev/surge/monitor"
	"github.com/surge-dev/surge/results"
	"github.com/surge-dev/surge/scenario"
	"github.com/surge-dev/surge/schedule"
	"github.com/surge-dev/surge/session"
)

// distOptions are surge run's flags for a test run by several processes.
type distOptions struct {
	coordinate  int           // --coordinate N: coordinate N shares, run one
	local       int           // --local N: run N worker processes here
	listen      string        // --listen
	coordinator string        // --coordinator ADDR: be a worker
	wait        time.Duration // --wait
	token       string        // --coordinator-token
	// --coordinate-if-first: the process whose --segment is the first
	// share coordinates (listening on --listen), the others are workers of
	// --coordinator; one command line for every process of a test.
	ifFirst bool
}

func addDistFlags(f *pflag.FlagSet, o *distOptions) {
	f.IntVar(&o.coordinate, "coordinate", 0, "coordinate a test of N shares: run share 0 (or --segment) here and wait for N-1 workers (surge run --coordinator); write the merged results (see docs/distributed.md)")
	f.IntVar(&o.local, "local", 0, "run the test as N worker processes on this machine, coordinated by this one, and write the merged results")
	f.StringVar(&o.listen, "listen", "", "with --coordinate (or --coordinate-if-first, on share 0): the address workers connect to (default "+distributed.DefaultListen+"; off loopback a --coordinator-token is required)")
	f.StringVar(&o.coordinator, "coordinator", "", "run as a worker of the coordinator at ADDR (host:port): its share (--segment, or one it assigns) starts when every share is ready")
	f.DurationVar(&o.wait, "wait", distributed.DefaultWait, "with --coordinate or --local: how long to wait for every worker to be ready; with --coordinator: for the coordinator")
	f.BoolVar(&o.ifFirst, "coordinate-if-first", false, "with --coordinator and --segment: the process whose share is the first (0/N) coordinates instead, listening on --listen, and writes the merged -o and --report; the others are workers of --coordinator and write neither. One command line for every process (a Kubernetes Indexed Job's pods)")
	f.StringVar(&o.token, "coordinator-token", os.Getenv("SURGE_COORDINATOR_TOKEN"), "token shared by the coordinator and its workers, required off loopback, at least 16 characters (default $SURGE_COORDINATOR_TOKEN)")
}

func (o distOptions) coordinating() bool { return o.coordinate > 0 || o.local > 0 }

// check refuses flags that do not go together, before any load.
func (o distOptions) check(seg segmentOptions) error {
	switch {
	case o.coordinate < 0 || o.local < 0:
		return usageError("--coordinate and --local take a number of shares, at least 1")
	case o.coordinate > 0 && o.local > 0:
		return usageError("--coordinate and --local do not go together: --local N coordinates N processes of its own")
	case o.coordinator != "" && o.coordinating():
		return usageError("--coordinator (be a worker) does not go with --coordinate or --local (be the coordinator)")
	case o.local > 0 && seg.segment != "":
		return usageError("--local runs every share: it takes no --segment")
	case o.listen != "" && !o.coordinating() && !o.ifFirst:
		return usageError("--listen goes with --coordinate or --coordinate-if-first")
	case o.wait <= 0:
		return usageError("--wait must be positive")
	}
	if err := o.checkIfFirst(seg); err != nil {
		return err
	}
	for _, addr := range []string{o.listen, o.coordinator} {
		if err := o.checkToken(addr); err != nil {
			return err
		}
	}
	return nil
}

// checkToken requires a long enough token when addr, where this process
// listens or connects, is off loopback.
func (o distOptions) checkToken(addr string) error {
	if addr == "" || dashboard.IsLoopback(addr) {
		return nil
	}
	if len(o.token) < 16 {
		return usageError("off loopback (%s), the coordinator and its workers need --coordinator-token (or $SURGE_COORDINATOR_TOKEN) of at least 16 characters: anyone who connects could join the test", addr)
	}
	return nil
}

// sequence is the sequence a coordinator gathers: --segments, or N equal
// shares; and the share it runs itself ("": share 0).
func (o distOptions) sequence(seg segmentOptions) (schedule.Sequence, string, error) {
	n := max(o.coordinate, o.local)
	if seg.sequence != "" {
		s, err := schedule.ParseSegment(seg.segment, seg.sequence)
		if err != nil && seg.segment != "" {
			return schedule.Sequence{}, "", usageError("--segment: %v", err)
		}
		q, err := schedule.ParseSequence(seg.sequence)
		if err != nil {
			return schedule.Sequence{}, "", usageError("--segments: %v", err)
		}
		if q.Shares() != n {
			return schedule.Sequence{}, "", usageError("--segments %s has %d shares, but %d were asked for", q, q.Shares(), n)
		}
		if s != nil {
			return q, s.String(), nil
		}
		return q, "", nil
	}
	q, err := schedule.EqualSequence(n)
	if err != nil {
		return schedule.Sequence{}, "", usageError("%v", err)
	}
	if seg.segment == "" {
		return q, "", nil
	}
	s, err := schedule.ParseSegment(seg.segment, "")
	if err != nil || s.Sequence().String() != q.String() {
		return schedule.Sequence{}, "", usageError("--segment %s is not a share of %d (K/%d)", seg.segment, n, n)
	}
	return q, s.String(), nil
}

// distError maps the distributed package's errors to exit codes.
func distError(err error) error {
	var mismatch *distributed.MismatchError
	var input *session.InputError
	var stopped *session.StoppedError
	switch {
	case errors.As(err, &mismatch) || errors.As(err, &input):
		return usageError("%v", err)
	case errors.As(err, &stopped):
		return &exitError{code: ExitInterrupted, err: err}
	}
	return runError(err)
}

// sharedTest is a test run as shares, whatever defines it: a script
// (surge run) or a program's users (UsersMain).
type sharedTest struct {
	test    *engine.Test
	meta    results.Test
	name    string                      // the run's name in the JUnit report and the step summary
	before  func(context.Context) error // before a share's load (nil: nothing)
	after   func(context.Context) error // after it, unless interrupted (nil: nothing)
	verdict func(session.Result) verdict
	command []string // --local's workers: this binary's subcommand,
	paths   []string // and the arguments after the flags
	out     outputOptions
	dist    distOptions
	seg     segmentOptions
}

// scriptShares is surge run's script as shares.
func scriptShares(paths []string, s *scenario.Script, p *flow.Program, meta results.Test, o runOptions) sharedTest {
	return sharedTest{test: p.Test, meta: meta, name: "surge run " + paths[0], before: p.RunBefore, after: p.RunAfter,
		verdict: func(res session.Result) verdict { return scriptVerdict(s, p, res) },
		command: []string{"run"}, paths: paths, out: o.outputOptions, dist: o.dist, seg: o.segments}
}

func (st sharedTest) runBefore(ctx context.Context) error {
	if st.before == nil {
		return nil
	}
	if err := st.before(ctx); err != nil {
		return runError(err)
	}
	return nil
}

// runAfter runs the after section of a share that was not interrupted;
// a failure is said, and does not change the verdict.
func (st sharedTest) runAfter(ctx context.Context, io IO, res session.Result) {
	if st.after == nil || res.Interrupted {
		return
	}
	if err := st.after(ctx); err != nil {
		fmt.Fprintf(io.Stderr, "surge: %v\n", err)
	}
}

// runWorker runs this process's share for the coordinator and exits with
// the whole test's verdict. Thresholds and alerts are the coordinator's
// to judge, on the merged seconds.
func runWorker(ctx context.Context, io IO, st sharedTest) error {
	if len(st.out.thresholds) > 0 || len(st.out.alerts.Alerts) > 0 {
		fmt.Fprintln(io.Stderr, "thresholds and alerts: judged by the coordinator on the merged seconds, not on this share")
	}
	st.out = workerOutputs(io, st.dist, st.out)
	if err := st.runBefore(ctx); err != nil {
		return err
	}
	so := sessionOptions(ctx, io, st.out)
	so.Thresholds, so.Alerts, so.Verdicts = nil, scenario.Alerts{}, nil
	defer setStream(io, st.out, &so)() // the share's own, as -o
	w := distributed.Worker{Addr: st.dist.coordinator, Token: st.dist.token, Wait: st.dist.wait, Version: Version}
	if seg := st.test.Segment; seg != nil {
		w.Segment, w.Sequence = seg.String(), seg.Sequence().String()
	}
	res, v, err := distributed.Work(ctx, w, st.test, st.meta, so)
	if err != nil {
		return distError(err)
	}
	st.runAfter(ctx, io, res)
	if v.Code != ExitOK {
		fmt.Fprintf(io.Stderr, "coordinator: the whole test's verdict is exit %d\n", v.Code)
	}
	return silentExit(v.Code)
}

// runCoordinator runs the test as shares: its own and its workers'
// (--coordinate), or those of worker processes it starts (--local); it
// judges the merged test and exits with its verdict.
func runCoordinator(cmd *cobra.Command, io IO, st sharedTest) error {
	ctx := cmd.Context()
	seq, ownSegment, err := st.dist.sequence(st.seg)
	if err != nil {
		return err
	}
	so, closeStream, err := coordinatorOptions(ctx, io, st)
	if err != nil {
		return err
	}
	defer closeStream()
	cfg := distributed.Config{Listen: st.dist.listen, Token: st.dist.token, Wait: st.dist.wait, Sequence: seq,
		Plan: planHash(st.test, seq), Notices: so.Notices, Version: Version}
	var own *distributed.Own
	var procs *distributed.Processes
	if st.dist.local > 0 {
		procs = localWorkers(cmd, io, &cfg, st)
	} else {
		if err := st.runBefore(ctx); err != nil {
			return err
		}
		own = ownShare(ctx, so.Notices, st, ownSegment)
	}
	out, err := distributed.Coordinate(ctx, cfg, st.test.Phases, st.meta, so, own)
	if err != nil {
		procs.Kill()
		procs.Wait()
		return distError(err)
	}
	v := st.verdict(out.Result)
	out.Release(distributed.Verdict{Code: v.code()})
	procs.Wait() // each exits with the verdict
	if own != nil {
		st.runAfter(ctx, io, out.Result)
	}
	return finishRun(io, st.name, st.out.junit, v)
}

// coordinatorOptions are the outputs of the merged test, with --stream's
// file open (close closes it). The target is scraped and the metrics
// exported by the processes that run shares: --local's coordinator runs
// none, so --prometheus there is refused before any load.
func coordinatorOptions(ctx context.Context, io IO, st sharedTest) (o session.Options, close func(), err error) {
	if p := st.out.prometheus; st.dist.local > 0 && (p.Addr != "" || p.RemoteWrite != "") {
		return o, nil, usageError("--prometheus and --prometheus-remote-write export a share's metrics from the process " +
			"that runs it, and --local's coordinator runs none: start the workers with --coordinator, each with its own " +
			"--prometheus (docs/monitoring.md)")
	}
	o = sessionOptions(ctx, io, st.out)
	o.Monitor = monitor.Config{} // a share scrapes it
	// The coordinator and its own share print from their own goroutines.
	stderr := session.LockedWriter(io.Stderr)
	o.Notices = stderr
	if o.Progress != nil {
		o.Progress = stderr
	}
	if !st.out.quiet && st.out.stream == "-" {
		o.Summary = stderr
	}
	return o, setStream(io, st.out, &o), nil // the merged seconds
}

// ownShare is the share --coordinate runs itself: quietly (the
// coordinator shows the merged test), scraping --monitor and exporting
// its metrics to Prometheus as every worker exports its own.
func ownShare(ctx context.Context, notices goio.Writer, st sharedTest, segment string) *distributed.Own {
	return &distributed.Own{Test: st.test, Meta: st.meta, Segment: segment, Options: session.Options{Notices: notices,
		Monitor: monitor.Config{URL: st.out.monitor, Series: st.out.monitorSeries}, Abort: abortOf(ctx), Version: Version,
		Prometheus: prometheusOptions(st.out)}}
}

// localWorkers sets cfg up to start --local's worker processes once the
// coordinator listens (on a free loopback port unless --listen says),
// and returns where they will be (nil until then, and if they fail to
// start).
func localWorkers(cmd *cobra.Command, io IO, cfg *distributed.Config, st sharedTest) *distributed.Processes {
	if cfg.Listen == "" {
		cfg.Listen = "127.0.0.1:0" // a free port: several --local runs may share a machine
	}
	procs := &distributed.Processes{}
	exited := make(chan error, 1)
	cfg.Exited = exited
	cfg.Listening = func(addr string) error {
		return startWorkers(procs, io.Stderr, cmd, st, addr, cfg.Sequence, exited)
	}
	return procs
}

// planHash is the plan every share must have: the test's, cut by seq.
func planHash(test *engine.Test, seq schedule.Sequence) string {
	t := *test
	seg, err := schedule.NewSegment(seq, 0)
	if err != nil {
		return ""
	}
	t.Segment = seg
	return t.PlanHash()
}
