// Package surge runs load-test users written in Go with the whole
// command line of surge run, as locust -f runs a locustfile: the users
// are package taskset's (weighted tasks, a wait between them, a setup
// per user, requests named by task and judged as Locust's catch_response
// judges them), and Main gives the program surge run's flags and outputs.
//
//	package main
//
//	func main() { surge.Main(taskset.User{Name: "reader", Tasks: ...}) }
//
//	go get github.com/surge-dev/surge@v0.9.0
//	go run . -t http://127.0.0.1:8080 --users 20 --spawn-rate 5 --dashboard
//
// examples/locust-style holds a complete program; docs/scripting.md sets
// it beside the locustfile it replaces.
package surge
