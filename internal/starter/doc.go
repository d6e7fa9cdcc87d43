// Package starter holds the files surge init writes: a commented
// Artillery-compatible script and a Go load test with Locust-style users.
// Both run unchanged against surge target's defaults
// (http://127.0.0.1:8080). The Go file is a real package (gouser), so that
// go build and its test keep it compiling and working.
package starter
