// Command taskset is an example of a load test written in Go with package
// taskset, the way Locust users are written: a "reader" user browses the
// built-in target's item API, a "writer" user checks the API once (its
// OnStart, where a Locust user would log in) and creates items, and both
// wait between tasks.
//
//	go run ./examples/taskset                      # against a built-in target
//	go run ./examples/taskset -target http://127.0.0.1:8080 -users 20 -duration 30s
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/schedule"
	"github.com/surge-dev/surge/taskset"
	"github.com/surge-dev/surge/testbed"
)

func main() {
	base := flag.String("target", "", "base URL (default: start the built-in target on a free loopback port)")
	users := flag.Int64("users", 10, "concurrent users")
	duration := flag.Duration("duration", 10*time.Second, "how long the users run")
	flag.Parse()
	if err := run(*base, *users, *duration); err != nil {
		fmt.Fprintln(os.Stderr, "taskset:", err)
		os.Exit(1)
	}
}

func run(base string, users int64, duration time.Duration) error {
	if base == "" {
		url, stop, err := startTarget()
		if err != nil {
			return err
		}
		defer stop()
		base = url
	}
	test, err := buildTest(base, users, duration)
	if err != nil {
		return err
	}
	res, err := engine.Run(context.Background(), *test)
	if err != nil {
		return err
	}
	for _, e := range res.Final.Endpoints {
		fmt.Printf("%-18s %6d requests  p99 %v\n", e.Name, e.Requests, metrics.Percentile(e.Latency, 99))
	}
	return nil
}

// buildTest declares the users: the closed model, users spawned at two
// per second and looping their tasks for the duration.
func buildTest(base string, users int64, duration time.Duration) (*engine.Test, error) {
	phase := schedule.Phase{Kind: schedule.Users, Users: users, SpawnRate: 2 * float64(users), Duration: duration}
	return taskset.Test(base, []schedule.Phase{phase}, reader(), writer())
}

func reader() taskset.User {
	return taskset.User{
		Name: "reader", Weight: 3,
		Wait: taskset.Between(50*time.Millisecond, 150*time.Millisecond),
		Tasks: []taskset.Task{
			{Name: "list items", Weight: 4, Run: func(c *taskset.Client) error {
				return c.Get("/api/items").Err()
			}},
			{Name: "slow report", Weight: 1, Run: func(c *taskset.Client) error {
				return c.Get("/sleep?ms=20").Err()
			}},
		},
	}
}

func writer() taskset.User {
	return taskset.User{
		Name: "writer", Weight: 1,
		Wait: taskset.Constant(100 * time.Millisecond),
		// OnStart runs once per user, like Locust's on_start: here it
		// checks the API answers before the user starts writing.
		OnStart: func(c *taskset.Client) error {
			c.Vars["created"] = 0
			return c.Get("/api/items").Err()
		},
		Tasks: []taskset.Task{
			{Name: "create item", Run: func(c *taskset.Client) error {
				n := c.Vars["created"].(int) + 1
				c.Vars["created"] = n
				return c.PostJSON("/api/items", map[string]any{"name": fmt.Sprintf("item-%d", n)}).Err()
			}},
		},
	}
}

// startTarget serves the built-in heavy target on a free loopback port.
func startTarget() (string, func(), error) {
	h, err := testbed.New(testbed.Config{})
	if err != nil {
		return "", nil, err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(l)
	return "http://" + l.Addr().String(), func() { srv.Close() }, nil
}
