// A starter load test in Go, written by `surge init --go`: Locust-style
// users (package taskset: weighted tasks, a wait between them, a setup
// run once per user) run through package session, which prints the same
// progress and summary as surge run and writes the results file that
// surge report and surge compare read.
//
//	surge target &                          # the built-in target on 127.0.0.1:8080
//	go run . -users 20 -spawn-rate 5 -duration 30s
//	go run . -target https://staging.example.com
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"time"

	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/results"
	"github.com/surge-dev/surge/schedule"
	"github.com/surge-dev/surge/session"
	"github.com/surge-dev/surge/taskset"
)

func main() {
	target := flag.String("target", "http://127.0.0.1:8080", "base URL of the service under test")
	users := flag.Int64("users", 10, "concurrent users")
	spawnRate := flag.Float64("spawn-rate", 5, "users started per second")
	duration := flag.Duration("duration", 30*time.Second, "how long the users run")
	output := flag.String("output", "results.json", "results file")
	flag.Parse()
	test, err := buildTest(*target, *users, *spawnRate, *duration)
	if err == nil {
		// Ctrl-C stops the test; the summary and results are still written.
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		defer stop()
		_, err = session.Run(ctx, test, results.Test{Name: "go users", Target: *target},
			session.Options{Progress: os.Stderr, Summary: os.Stdout, Notices: os.Stderr, ResultsFile: *output})
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// buildTest runs the users in the closed model: they start at spawnRate
// a second and loop their tasks until the duration ends.
func buildTest(target string, users int64, spawnRate float64, duration time.Duration) (*engine.Test, error) {
	phase := schedule.Phase{Kind: schedule.Users, Users: users, SpawnRate: spawnRate, Duration: duration}
	return taskset.Test(target, []schedule.Phase{phase}, browser(), creator())
}

// browser lists items and opens one, pausing 0.5 to 1.5 s between tasks.
// Each task's requests are counted under the task's name.
func browser() taskset.User {
	return taskset.User{Name: "browser", Weight: 3, Wait: taskset.Between(500*time.Millisecond, 1500*time.Millisecond),
		Tasks: []taskset.Task{
			{Name: "list items", Weight: 2, Run: func(c *taskset.Client) error {
				return c.Get("/api/items?limit=10").Err() // a 4xx or 5xx fails the task
			}},
			{Name: "open item", Run: func(c *taskset.Client) error {
				return c.Get("/api/items/1").Err()
			}},
		}}
}

// creator checks the API once when it starts (Locust's on_start), then
// adds items.
func creator() taskset.User {
	return taskset.User{Name: "creator", Wait: taskset.Constant(time.Second),
		OnStart: func(c *taskset.Client) error {
			return c.Get("/api/items?limit=1").Err()
		},
		Tasks: []taskset.Task{{Name: "create item", Run: func(c *taskset.Client) error {
			return c.PostJSON("/api/items", map[string]any{"name": "starter", "price": 9.5}).Err()
		}}}}
}
