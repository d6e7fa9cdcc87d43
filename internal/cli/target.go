package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"
	"github.com/surge-dev/surge/target"
)

const defaultTargetAddr = "127.0.0.1:8080"

func newTargetCmd(io IO) *cobra.Command {
	cmd := newHeavyCmd(io, "target")
	cmd.Short = "Serve a built-in target to test against (heavy by default)"
	cmd.AddCommand(newHeavyCmd(io, "heavy"))
	return cmd
}

func newHeavyCmd(io IO, use string) *cobra.Command {
	var cfg target.Config
	var addr string
	cmd := &cobra.Command{
		Use:   use,
		Short: "A JSON API whose cost you choose per request or server-wide",
		Long: `Serve the heavy target: /cpu?ms=, /alloc?mb=&hold=, /sleep?ms=&jitter=, /fail?rate=,
/status/NNN, /bytes?n=, /echo, a JSON CRUD API under /api/items, /metrics and
/_surge/status. Server-wide flags make every request heavier.`,
		Example: `  surge target --addr 127.0.0.1:8080 --latency 20ms --jitter 10ms
  surge target heavy --cpu-ms 2ms --max-concurrency 100`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			srv, err := target.New(cfg)
			if err != nil {
				return usageError("%v", err)
			}
			return serve(cmd.Context(), io, addr, srv, "heavy target")
		},
	}
	cmd.Flags().StringVar(&addr, "addr", defaultTargetAddr, "address to listen on")
	cfg.RegisterFlags(cmd.Flags())
	return cmd
}

// serve listens on addr and serves h until ctx ends, then shuts down
// gracefully.
func serve(ctx context.Context, io IO, addr string, h http.Handler, what string) error {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return runError(fmt.Errorf("listen on %s: %w", addr, err))
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(io.Stdout, "%s listening on http://%s (Ctrl-C to stop)\n", what, l.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(l) }()
	select {
	case err := <-errc:
		return runError(err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return runError(err)
	}
	return nil
}
