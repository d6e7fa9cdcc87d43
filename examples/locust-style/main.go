package main

import (
	"fmt"
	"github.com/surge-dev/surge"
	"github.com/surge-dev/surge/taskset"
	"time"
)

func main() {
	item := map[string]any{"name": "widget", "price": 9.5}
	surge.Main(taskset.User{Name: "api user", Wait: taskset.Between(time.Second, 3*time.Second),
		OnStart: func(c *taskset.Client) error { return c.PostJSON("/items", item).JSON(&c.Vars) }, // c.Vars["id"]
		Tasks: []taskset.Task{
			{Name: "/items", Weight: 3, Run: func(c *taskset.Client) error { return c.Get("/items").Err() }},
			{Name: "/items/[id]", Run: func(c *taskset.Client) error { return c.Get(fmt.Sprintf("/items/%.0f", c.Vars["id"])).Err() }},
			{Name: "create item", Run: func(c *taskset.Client) error {
				r := c.PostJSON("/items", item)
				if it := map[string]any{}; r.JSON(&it) != nil || it["id"] == nil {
					r.Failure("no id in the response") // as catch_response's resp.failure
				}
				return r.Err()
			}},
		}})
}
