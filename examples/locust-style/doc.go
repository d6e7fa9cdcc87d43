// Command locust-style is the serverless lab's Locust user written in Go:
// users of a REST API (on Lambda, behind API Gateway) that list items
// (three times in five), read the item they created when they started,
// and create items, failing a creation whose response holds no id (as
// Locust's catch_response does), waiting 1 to 3 s between tasks.
// docs/scripting.md sets it beside the locustfile it replaces.
//
// surge.Main gives it the whole command line of surge run:
//
//	surge target &                  # a REST API on 127.0.0.1:8080/api
//	go run ./examples/locust-style -t http://127.0.0.1:8080/api --users 20 --spawn-rate 5 --dashboard
//	go run ./examples/locust-style -t https://abc123.execute-api.eu-west-1.amazonaws.com/prod --rate 50 -d 5m -o results.json
//
// main.go is kept at most 25 lines (a test counts them).
package main
