package cli

import (
	goio "io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/flow"
	"github.com/surge-dev/surge/results"
	"github.com/surge-dev/surge/scenario"
	"github.com/surge-dev/surge/schedule"
	"github.com/surge-dev/surge/session"
	"github.com/surge-dev/surge/transport"
)

type quickOptions struct {
	outputOptions
	rate        float64
	users       int64
	spawnRate   float64
	duration    time.Duration
	connections int
	method      string
	headers     []string
	body        string
	timeout     time.Duration
	insecure    bool
	protocol    string
	expect      statusFlag
}

const quickLong = `Fire an ad-hoc test at one URL.

--rate N is the open model: N requests start every second whatever the server
does, and latency counts from when each was due. --users N is the closed model:
N users send requests back to back. All requests share one keep-alive pool;
--connections bounds it, and requests then wait for a free connection. The
wait counts in latency, which runs from when a request was due (its arrival
time; with --users, when its user was ready to send), but not in service
time, which runs from the send: 8 users on 1 connection to a 20 ms server
read latency p50 about 160 ms, service p50 about 20 ms. With --rate, an
arrival that no connection took by the end of --duration plus the 10 s grace
period is not sent but counted as dropped.

Without --rate or --users the rate is 50 a second. Rates are above 0 and at
most 1,000,000 a second; --users and --connections must fit the open-file
limit (ulimit -n). Credentials in the URL (http://user:pass@host/) are sent
as basic authentication and written nowhere. --body @FILE sends a file's
content, --body @- standard input. Bad values are refused before anything
is sent, as is an --output, --report or --stream path that cannot be written.

--stream FILE writes the results as the test goes, a JSON line a second
(- for stdout): a killed run loses at most its last second, and surge report
reads what it left. --prometheus serves the test's metrics for Prometheus to
scrape, --prometheus-remote-write pushes them every second (docs/monitoring.md).`

func newQuickCmd(io IO) *cobra.Command {
	var o quickOptions
	cmd := &cobra.Command{
		Use:   "quick URL",
		Short: "Fire an ad-hoc test at one URL (like hey or Vegeta)",
		Long:  quickLong,
		Example: `  surge quick http://127.0.0.1:8080/ --rate 500 --duration 30s
  surge quick http://127.0.0.1:8080/api --users 64 --duration 10s -H 'Authorization: Bearer x'`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runQuick(cmd, io, args[0], o)
		},
	}
	f := cmd.Flags()
	f.Float64VarP(&o.rate, "rate", "r", 0, "requests started per second, above 0 and at most 1000000 (open model; 50 when neither --rate nor --users is given)")
	f.Int64VarP(&o.users, "users", "u", 0, "concurrent looping users, 1 to 1000000 and within the open-file limit (closed model)")
	f.Float64Var(&o.spawnRate, "spawn-rate", 0, "users started per second with --users (0: all at once)")
	f.DurationVarP(&o.duration, "duration", "d", 10*time.Second, "how long to send (at most 720h)")
	f.IntVarP(&o.connections, "connections", "c", 0, "bound the connection pool, within the open-file limit (0: unbounded)")
	f.StringVarP(&o.method, "method", "m", "GET", "HTTP method")
	f.StringArrayVarP(&o.headers, "header", "H", nil, "request header 'Name: value' (repeatable; 'Host: name' sets the Host)")
	f.StringVar(&o.body, "body", "", "request body; @FILE sends the content of FILE, @- standard input (as curl's --data)")
	f.DurationVar(&o.timeout, "timeout", transport.DefaultTimeout, "per-request timeout (must be positive)")
	f.BoolVarP(&o.insecure, "insecure", "k", false, "skip TLS certificate verification")
	f.StringVar(&o.protocol, "protocol", "auto", "auto, http1 or http2 (h2 over TLS, h2c over plain TCP)")
	addExpectFlag(f, &o.expect)
	addRuleFlags(f, &o.ruleOptions)
	f.StringVarP(&o.output, "output", "o", "", "write the results JSON to this file (checked before the test; a device or FIFO is written in place)")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "print nothing but errors and checks")
	addStreamFlags(f, &o.outputOptions)
	addPrometheusFlags(f, &o.outputOptions)
	addMonitorFlags(f, &o.outputOptions)
	addDashboardFlags(f, &o.outputOptions)
	return cmd
}

func runQuick(cmd *cobra.Command, io IO, rawURL string, o quickOptions) error {
	flags := cmd.Flags()
	set := quickFlags{rate: flags.Changed("rate"), users: flags.Changed("users"), spawnRate: flags.Changed("spawn-rate")}
	t, err := quickTest(rawURL, o, set, io.Stdin)
	if err != nil {
		return err
	}
	if o.thresholds, o.alerts, err = parseRules(o.ruleOptions, scenario.Alerts{}); err != nil {
		return err
	}
	meta := results.Test{Name: "quick", Target: flow.Redact(rawURL), ExpectStatus: expectedStatuses(t.Expect)}
	res, err := execute(cmd.Context(), io, t, meta, o.outputOptions)
	if err != nil {
		return err
	}
	return finishRun(io, "surge quick "+flow.Redact(rawURL), o.junit, verdict{res: res})
}

// quickTest validates the flags and builds the test.
func quickTest(rawURL string, o quickOptions, set quickFlags, stdin goio.Reader) (*engine.Test, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return nil, usageError("%q is not an http(s) URL with a host", flow.Redact(rawURL))
	}
	if err := checkQuickLoad(o, set); err != nil {
		return nil, err
	}
	if err := checkQuickFiles(o); err != nil {
		return nil, usageError("%v", err)
	}
	header, err := parseHeaders(o.headers)
	if err != nil {
		return nil, err
	}
	body, err := readBody(o.body, stdin)
	if err != nil {
		return nil, err
	}
	proto, err := transport.ParseProtocol(o.protocol)
	if err != nil {
		return nil, usageError("%v", err)
	}
	t, err := session.OneRequest(strings.ToUpper(o.method), rawURL, header, body)
	if err != nil {
		return nil, usageError("%v", err)
	}
	t.Phases, t.Connections, t.Timeout = []schedule.Phase{quickPhase(o)}, o.connections, o.timeout
	t.HTTP, t.Expect = transport.Config{Protocol: proto, Insecure: o.insecure}, o.expect.set
	return t, nil
}

// quickPhase is the load of validated flags: the closed model with
// --users, else the open model at --rate or the default rate.
func quickPhase(o quickOptions) schedule.Phase {
	if o.users > 0 {
		return schedule.Phase{Kind: schedule.Users, Users: o.users, SpawnRate: o.spawnRate, Duration: o.duration}
	}
	rate := o.rate
	if rate == 0 {
		rate = defaultQuickRate
	}
	return schedule.Phase{Kind: schedule.Constant, ArrivalRate: rate, Duration: o.duration}
}

// parseHeaders reads -H 'Name: value'. A Host header names the host the
// requests are sent as; a CR or LF in a value is refused (it would inject
// a header).
func parseHeaders(hs []string) (http.Header, error) {
	h := http.Header{}
	h.Set("User-Agent", "Surge (load test)")
	for _, kv := range hs {
		k, v, ok := strings.Cut(kv, ":")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || k == "" {
			return nil, usageError("header %q: want 'Name: value'", kv)
		}
		if err := scenario.CheckHeader(k, v); err != nil {
			return nil, usageError("-H %q: %v", kv, err)
		}
		h.Add(k, v)
	}
	if h.Get("Accept-Encoding") == "" { // as net/http and hey send, unless -H says
		h.Set("Accept-Encoding", transport.QuickAcceptEncoding)
	}
	return h, nil
}
