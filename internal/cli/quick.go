package cli

import (
	"net/http"
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
	quickHabits
}

const quickLong = `Fire an ad-hoc test at a URL, at several in turn, or at a Vegeta targets file.
A URL without a scheme (localhost:8080/x) is taken as http://, as curl does.

--rate N is the open model: N requests start every second whatever the server
does, and latency counts from when each was due. --users N is the closed model:
N users send requests back to back. --rate max is the closed model at full
speed: one user per connection (--connections, 50 if not given), each sending
the moment its last response is read. All requests share one keep-alive pool;
--connections bounds it, and requests then wait for a free connection. The
wait counts in latency, which runs from when a request was due (its arrival
time; with --users, when its user was ready to send), but not in service
time, which runs from the send: 8 users on 1 connection to a 20 ms server
read latency p50 about 160 ms, service p50 about 20 ms. With --rate, an
arrival that no connection took by the end of --duration plus the 10 s grace
period is not sent but counted as dropped.

-n N ends the test after exactly N requests (each redirect hop is one), in
either model: no request starts after the N-th, and those in flight finish.
Without --duration, -n sets no time limit; with it, whichever comes first
ends the test.

Several URLs, or the requests of --targets FILE, are sent in turn (the k-th
request started sends the k-th target, as Vegeta does), each counted as an
endpoint of its own. The file is in either of Vegeta's formats, told apart
by its first character: HTTP ("METHOD URL", then "Name: value" header lines
and an "@path" body line, targets separated by a blank line, # comments) or
JSON lines ({"method", "url", "header": {"Name": ["value"]}, "body": base64}).
-H headers are added to each target that does not set the header, and
--body is the body of each target that has none.

Coming from ab or hey: their -c N starts N concurrent workers, which is
--users N here; --connections bounds the connection pool (Surge's -c is
--config, as in Artillery and k6; -c N here still means --connections N,
with a notice).
hey's -d is the request body (--body here; hey's -D FILE is --body-file) and
hey's -z the duration; -d here is --duration. -n is the same: a request count.
hey's -q is a rate per worker; --rate is the total (-q here is --quiet).
Connections are kept alive: -H 'Connection: close' opens one per request
(hey's -disable-keepalive, ab without -k; -k here is --insecure, as curl's).

Without --rate or --users the rate is 50 a second. Rates are above 0 and at
most 1,000,000 a second; --users and --connections must fit the open-file
limit (ulimit -n). Credentials in the URL (http://user:pass@host/) are sent
as basic authentication and written nowhere. --body @FILE sends a file's
content (as --body-file FILE does), --body @- standard input. Bad values,
and a body or targets file that cannot be read, are refused before anything
is sent, as is an --output, --report or --stream path that cannot be written.

--stream FILE writes the results as the test goes, a JSON line a second
(- for stdout): a killed run loses at most its last second, and surge report
reads what it left. --prometheus serves the test's metrics for Prometheus to
scrape, --prometheus-remote-write pushes them every second (docs/monitoring.md).`

func newQuickCmd(io IO) *cobra.Command {
	var o quickOptions
	cmd := &cobra.Command{
		Use:   "quick URL [URL...]",
		Short: "Fire an ad-hoc test at a URL (like ab, hey or Vegeta)",
		Long:  quickLong,
		Example: `  surge quick http://127.0.0.1:8080/ --rate 500 --duration 30s
  surge quick http://127.0.0.1:8080/api --users 64 --duration 10s -H 'Authorization: Bearer x'
  surge quick http://127.0.0.1:8080/ -n 1000 --users 10                  # ab -n 1000 -c 10
  surge quick http://127.0.0.1:8080/items -m POST --body @item.json -n 500 --rate max
  surge quick --targets targets.txt --rate 200 --duration 1m             # vegeta attack -targets`,
		Args: cobra.ArbitraryArgs, // URLs, or none with --targets: checked in quickRequests
		RunE: func(cmd *cobra.Command, args []string) error {
			return runQuick(cmd, io, args, o)
		},
	}
	f := cmd.Flags()
	f.VarP(rateFlag{rate: &o.rate, max: &o.rateMax}, "rate", "r", "requests started per second, above 0 and at most 1000000 (open model; 50 when neither --rate nor --users is given); "+
		"max: as fast as possible, one user per connection (closed model)")
	f.Int64VarP(&o.users, "users", "u", 0, "concurrent looping users, 1 to 1000000 and within the open-file limit (closed model)")
	f.Float64Var(&o.spawnRate, "spawn-rate", 0, "users started per second with --users (0: all at once)")
	f.DurationVarP(&o.duration, "duration", "d", 10*time.Second, "how long to send (at most 720h)")
	f.IntVarP(&o.connections, "connections", "c", 0, "bound the connection pool, within the open-file limit (0: the open model's pool grows while more connections help, up to 10,000)")
	retireShorthand(f, "connections", "-c is --config, as in Artillery and k6; ab's and hey's -c, concurrent clients, is --users")
	f.StringVarP(&o.method, "method", "m", "GET", "HTTP method")
	f.StringArrayVarP(&o.headers, "header", "H", nil, "request header 'Name: value' (repeatable; 'Host: name' sets the Host)")
	f.StringVar(&o.body, "body", "", "request body; @FILE sends the content of FILE, @- standard input (as curl's --data)")
	addHabitFlags(f, &o.quickHabits)
	f.DurationVar(&o.timeout, "timeout", transport.DefaultTimeout, "per-request timeout (must be positive)")
	f.BoolVarP(&o.insecure, "insecure", "k", false, "skip TLS certificate verification")
	f.StringVar(&o.protocol, "protocol", "auto", "auto, http1 or http2 (h2 over TLS, h2c over plain TCP)")
	addExpectFlag(f, &o.expect)
	addRuleFlags(f, &o.ruleOptions)
	addOutputFlags(f, &o.output, &o.quiet, &o.outputOptions)
	return cmd
}

func runQuick(cmd *cobra.Command, io IO, urls []string, o quickOptions) error {
	flags := cmd.Flags()
	set := quickFlags{rate: flags.Changed("rate") && !o.rateMax, users: flags.Changed("users"),
		spawnRate: flags.Changed("spawn-rate"), requests: flags.Changed("requests")}
	o, set, err := resolveHabits(o, set, flags.Changed("duration"))
	if err != nil {
		return err
	}
	reqs, err := quickRequests(urls, o, flags.Changed("method"), io.Stdin)
	if err != nil {
		return err
	}
	t, err := quickTest(reqs, o, set)
	if err != nil {
		return err
	}
	if o.thresholds, o.alerts, err = parseRules(o.ruleOptions, scenario.Alerts{}); err != nil {
		return err
	}
	meta := results.Test{Name: "quick", Target: quickTarget(reqs)}
	o.reads = quickInputs(o)
	res, err := execute(cmd.Context(), io, t, meta, o.outputOptions)
	if err != nil {
		return err
	}
	return finishRun(io, "surge quick "+quickTarget(reqs), o.junit, verdict{res: res})
}

// checkQuickURL accepts a URL a request can be sent to (see
// transport.URLProblem).
func checkQuickURL(rawURL string) error {
	if why := transport.URLProblem(rawURL); why != "" {
		return usageError("%q %s", flow.Redact(rawURL), why)
	}
	return nil
}

// quickTest validates the load flags and builds the test of reqs.
func quickTest(reqs []session.Request, o quickOptions, set quickFlags) (*engine.Test, error) {
	if err := checkQuickLoad(o, set); err != nil {
		return nil, err
	}
	if err := checkQuickFiles(o); err != nil {
		return nil, usageError("%v", err)
	}
	proto, err := transport.ParseProtocol(o.protocol)
	if err != nil {
		return nil, usageError("%v", err)
	}
	t, err := session.RoundRobin(reqs)
	if err != nil {
		return nil, usageError("%v", err)
	}
	t.Phases, t.Connections, t.Timeout = []schedule.Phase{quickPhase(o)}, o.connections, o.timeout
	t.HTTP, t.Expect, t.MaxRequests = transport.Config{Protocol: proto, Insecure: o.insecure}, o.expect.set, o.requests
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

// parseHeaders reads -H 'Name: value' (session.ParseHeaders).
func parseHeaders(hs []string) (http.Header, error) {
	h, err := session.ParseHeaders(hs)
	if err != nil {
		return nil, usageError("-H %v", err)
	}
	return h, nil
}
