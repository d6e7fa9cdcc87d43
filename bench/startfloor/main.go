// Command startfloor is a reference point for scenario t, not a load
// tool: the least a Go program that links what Surge links for its other
// commands can do for one request. It imports, for their package
// initialisers alone, Surge's packages that build on the libraries it is
// held to use (Kubernetes types, the Prometheus client, gonum), then
// sends one GET and reads the status line. Its start-up to that request
// is the floor for any single binary holding those features; hey, which
// links none of them, is the bar.
//
//	startfloor URL
package main

import (
	"bufio"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
	"time"

	_ "github.com/surge-dev/surge/alert/notify"
	_ "github.com/surge-dev/surge/compare"
	_ "github.com/surge-dev/surge/k8s"
	_ "github.com/surge-dev/surge/monitor"
	_ "github.com/surge-dev/surge/promexport"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: startfloor URL")
		os.Exit(2)
	}
	u, err := url.Parse(os.Args[1])
	if err != nil || u.Scheme != "http" {
		fmt.Fprintln(os.Stderr, "startfloor: want an http:// URL")
		os.Exit(2)
	}
	if err := get(u); err != nil {
		fmt.Fprintln(os.Stderr, "startfloor:", err)
		os.Exit(1)
	}
}

// get sends one GET for u and reads its status line.
func get(u *url.URL) error {
	c, err := net.DialTimeout("tcp", u.Host, 10*time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	if _, err := fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", u.RequestURI(), u.Host); err != nil {
		return err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if !strings.HasPrefix(line, "HTTP/1.") {
		return fmt.Errorf("not an HTTP response: %q", line)
	}
	return nil
}
