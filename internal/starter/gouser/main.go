// A starter load test in Go, written by `surge init --go`: Locust-style
// users (package taskset: weighted tasks, a wait between them, a setup
// run once per user) that surge.Main runs with the whole command line of
// surge run, as locust -f runs a locustfile: the load from --users and
// --spawn-rate (or --rate, or --config's phases), the progress and
// summary, -o results.json, --report, --dashboard, --threshold, --segment.
//
//	surge target &                          # the built-in target on 127.0.0.1:8080
//	go run . --users 20 --spawn-rate 5 --duration 30s --dashboard
//	go run . -t https://staging.example.com --rate 10 -o results.json
//	go run . --help                         # every flag, and the exit codes
package main

import (
	"time"

	"github.com/surge-dev/surge"
	"github.com/surge-dev/surge/taskset"
)

// host is where the users go unless --target says otherwise.
const host = "http://127.0.0.1:8080"

func main() {
	surge.Main(browser(), creator())
}

// browser lists items and opens one, pausing 0.5 to 1.5 s between tasks.
// Each task's requests are counted under the task's name.
func browser() taskset.User {
	return taskset.User{Name: "browser", Host: host, Weight: 3, Wait: taskset.Between(500*time.Millisecond, 1500*time.Millisecond),
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
// adds items, counting a creation answered without an id as failed (as
// Locust's catch_response lets a task decide).
func creator() taskset.User {
	return taskset.User{Name: "creator", Host: host, Wait: taskset.Constant(time.Second),
		OnStart: func(c *taskset.Client) error {
			return c.Get("/api/items?limit=1").Err()
		},
		Tasks: []taskset.Task{{Name: "create item", Run: func(c *taskset.Client) error {
			r := c.PostJSON("/api/items", map[string]any{"name": "starter", "price": 9.5})
			var created struct{ ID int64 }
			if r.JSON(&created) != nil || created.ID == 0 {
				r.Failure("no id in the response")
			}
			return r.Err()
		}}}}
}
