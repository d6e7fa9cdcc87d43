package cli

import (
	"context"
	"os"

	"github.com/spf13/cobra"
	"github.com/surge-dev/surge/dashboard"
	"github.com/surge-dev/surge/monitor"
	"github.com/surge-dev/surge/scenario"
	"github.com/surge-dev/surge/session"
)

type uiOptions struct {
	addr, token, target string
	allowHosts          []string
	allowAnyTarget      bool
	monitor             string
	monitorSeries       []string
	form                loadFlags
}

func newUICmd(io IO) *cobra.Command {
	var o uiOptions
	cmd := &cobra.Command{
		Use:   "ui [SCRIPT]",
		Short: "Serve the web dashboard and start, steer and stop tests from it (like Locust)",
		Long: `Serve the live dashboard (default http://127.0.0.1:8089). Start a test from the
page with a number of users and a spawn rate (closed model) or an arrival rate
(open model), change the load while it runs, reset statistics, stop it, and
download the results (JSON, CSV, HTML report). With SCRIPT, its scenarios are
run (and its phases, unless the page sets a load); without, the host given on
the page is requested with GET.

The page sends load only to the target named on the command line (-t, or the
script's target); it may change the path but not the host. To let the page
choose any host, pass --allow-any-target; without a target, one of the two is
required.

Bound to any address other than loopback, the dashboard requires a token of at
least 16 characters: --dashboard-token, SURGE_DASHBOARD_TOKEN, or one made up
and printed at start. Without a token it answers only to loopback host names
(localhost, 127.x, [::1]) and those named with --dashboard-allow-host, so that a
web page cannot reach it by DNS rebinding.

-u/--users, --spawn-rate, -r/--rate and -d/--duration pre-fill the start form,
as Locust's -u and -r fill its own (Locust's -r is --spawn-rate here, its -t run
time is -d, its -H host is -t); the page starts what the form holds when Start
is pressed.`,
		Example: `  surge ui load.yml
  surge ui -t http://127.0.0.1:8080
  surge ui load.yml -u 100 --spawn-rate 10 -d 5m             # the form pre-filled, as locust -u 100 -r 10 -t 5m
  surge ui --allow-any-target
  surge ui --addr 0.0.0.0:8089 -t http://127.0.0.1:8080`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			form, err := o.form.form(cmd.Flags())
			if err != nil {
				return err
			}
			return runUI(cmd.Context(), io, args, o, form)
		},
	}
	f := cmd.Flags()
	addFormFlags(f, &o.form)
	f.StringVar(&o.addr, "addr", defaultDashboardAddr, "address the dashboard listens on")
	f.StringVar(&o.token, "dashboard-token", os.Getenv("SURGE_DASHBOARD_TOKEN"), "token required off loopback, at least 16 characters (default: $SURGE_DASHBOARD_TOKEN or a random one)")
	urlVarP(f, &o.target, "target", "t", "host (base URL) of the tests started from the page; the page may not choose another")
	f.BoolVar(&o.allowAnyTarget, "allow-any-target", false, "let the page send load to any host it names, not only the target")
	addOldName(f, "token", "dashboard-token")
	addAllowHostFlag(f, &o.allowHosts)
	urlVarP(f, &o.monitor, "monitor", "", "scrape this Prometheus endpoint of the target every second")
	f.StringArrayVar(&o.monitorSeries, "monitor-series", nil, "series to keep from --monitor (repeatable)")
	return cmd
}

func runUI(ctx context.Context, io IO, args []string, o uiOptions, form dashboard.StartRequest) error {
	script, err := uiScript(args, o)
	if err != nil {
		return err
	}
	err = session.ServeUI(ctx, session.UI{
		Dashboard: session.Dashboard{Addr: o.addr, Token: o.token, AllowedHosts: o.allowHosts},
		Target:    o.target, AllowAnyTarget: o.allowAnyTarget, Script: script, Form: form,
		Monitor: monitor.Config{URL: o.monitor, Series: o.monitorSeries},
		Notices: io.Stderr, Abort: abortOf(ctx), Version: Version,
	})
	if err != nil {
		return sessionError(err)
	}
	return nil
}

// uiScript loads the script, if any, and checks that the page's tests
// have a target: -t, else the script's. Without one the page may choose
// only if the user said so.
func uiScript(args []string, o uiOptions) (*scenario.Script, error) {
	var script *scenario.Script
	if len(args) == 1 {
		var err error
		if script, err = scenario.Load(args[0]); err != nil {
			return nil, err
		}
	}
	if o.target == "" && (script == nil || script.Config.Target == "") && !o.allowAnyTarget {
		return nil, usageError("surge ui needs a target: -t URL (or a script with config.target), " +
			"or --allow-any-target to let the page send load to any host it names")
	}
	return script, nil
}
