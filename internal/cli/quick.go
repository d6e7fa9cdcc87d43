package cli

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/results"
	"github.com/surge-dev/surge/schedule"
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

func newQuickCmd(io IO) *cobra.Command {
	var o quickOptions
	cmd := &cobra.Command{
		Use:   "quick URL",
		Short: "Fire an ad-hoc test at one URL (like hey or Vegeta)",
		Long: `Fire an ad-hoc test at one URL.

--rate N is the open model: N requests start every second whatever the server
does, and latency counts from when each was due. --users N is the closed model:
N users send requests back to back. All requests share one keep-alive pool;
--connections bounds it, and requests then wait for a free connection with
their latency still counted from the intended start.`,
		Example: `  surge quick http://127.0.0.1:8080/ --rate 500 --duration 30s
  surge quick http://127.0.0.1:8080/api --users 64 --duration 10s -H 'Authorization: Bearer x'`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runQuick(cmd, io, args[0], o)
		},
	}
	f := cmd.Flags()
	f.Float64VarP(&o.rate, "rate", "r", 0, "requests started per second (open model; default 50 unless --users)")
	f.Int64VarP(&o.users, "users", "u", 0, "concurrent looping users (closed model)")
	f.Float64Var(&o.spawnRate, "spawn-rate", 0, "users started per second with --users (0: all at once)")
	f.DurationVarP(&o.duration, "duration", "d", 10*time.Second, "how long to send")
	f.IntVarP(&o.connections, "connections", "c", 0, "bound the connection pool (0: unbounded)")
	f.StringVarP(&o.method, "method", "m", "GET", "HTTP method")
	f.StringArrayVarP(&o.headers, "header", "H", nil, "request header 'Name: value' (repeatable)")
	f.StringVar(&o.body, "body", "", "request body")
	f.DurationVar(&o.timeout, "timeout", transport.DefaultTimeout, "per-request timeout")
	f.BoolVarP(&o.insecure, "insecure", "k", false, "skip TLS certificate verification")
	f.StringVar(&o.protocol, "protocol", "auto", "auto, http1 or http2 (h2 over TLS, h2c over plain TCP)")
	addExpectFlag(f, &o.expect)
	f.StringVarP(&o.output, "output", "o", "", "write the results JSON to this file")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "print nothing but errors")
	addMonitorFlags(f, &o.outputOptions)
	addDashboardFlags(f, &o.outputOptions)
	return cmd
}

func runQuick(cmd *cobra.Command, io IO, rawURL string, o quickOptions) error {
	t, err := quickTest(rawURL, o)
	if err != nil {
		return err
	}
	meta := results.Test{Name: "quick", Target: rawURL, ExpectStatus: expectedStatuses(t.Expect)}
	_, err = execute(cmd.Context(), io, t, meta, o.outputOptions)
	return err
}

// quickTest validates the flags and builds the test.
func quickTest(rawURL string, o quickOptions) (*engine.Test, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, usageError("%q is not an http(s) URL", rawURL)
	}
	phase, err := quickPhase(o)
	if err != nil {
		return nil, err
	}
	header, err := parseHeaders(o.headers)
	if err != nil {
		return nil, err
	}
	proto, err := transport.ParseProtocol(o.protocol)
	if err != nil {
		return nil, usageError("%v", err)
	}
	t := &engine.Test{
		Phases: []schedule.Phase{phase}, Conns: engine.Shared, Connections: o.connections,
		Timeout: o.timeout, HTTP: transport.Config{Protocol: proto, Insecure: o.insecure}, Expect: o.expect.set,
	}
	endpoint := t.Endpoint(strings.ToUpper(o.method) + " " + u.Path)
	t.Scenarios = []engine.Scenario{quickScenario(strings.ToUpper(o.method), u, header, []byte(o.body), endpoint)}
	return t, nil
}

func quickPhase(o quickOptions) (schedule.Phase, error) {
	switch {
	case o.rate > 0 && o.users > 0:
		return schedule.Phase{}, usageError("--rate and --users exclude each other: choose the open or the closed model")
	case o.duration <= 0:
		return schedule.Phase{}, usageError("--duration must be positive")
	case o.connections < 0 || o.rate < 0 || o.users < 0 || o.spawnRate < 0:
		return schedule.Phase{}, usageError("--rate, --users, --spawn-rate and --connections must not be negative")
	case o.users > 0:
		return schedule.Phase{Kind: schedule.Users, Users: o.users, SpawnRate: o.spawnRate, Duration: o.duration}, nil
	}
	rate := o.rate
	if rate == 0 {
		rate = 50
	}
	return schedule.Phase{Kind: schedule.Constant, ArrivalRate: rate, Duration: o.duration}, nil
}

func parseHeaders(hs []string) (http.Header, error) {
	h := http.Header{}
	h.Set("User-Agent", "Surge (load test)")
	for _, kv := range hs {
		k, v, ok := strings.Cut(kv, ":")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, usageError("header %q: want 'Name: value'", kv)
		}
		h.Add(strings.TrimSpace(k), strings.TrimSpace(v))
	}
	return h, nil
}

// quickScenario sends one request per iteration.
func quickScenario(method string, u *url.URL, header http.Header, body []byte, endpoint int) engine.Scenario {
	p := engine.Prepare(method, u, header, body)
	return engine.Scenario{Name: "quick", Run: func(_ context.Context, vu *engine.VU) error {
		return vu.Send(endpoint, p)
	}}
}
