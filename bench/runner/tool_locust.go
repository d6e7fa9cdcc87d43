package main

import (
	"encoding/csv"
	"errors"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Running Locust (Debian's python3-locust) headless and reading its output.
//
// Locust is a closed model of users: each user runs its task again as soon
// as the last one ends (wait_time constant(0)), one request per task. Two
// user classes are measured, because Locust users choose between them:
// FastHttpUser (geventhttpclient) and HttpUser (python-requests).

// locustClass is the user class a tool entry runs.
type locustClass string

const (
	locustFast locustClass = "FastHttpUser"
	locustHTTP locustClass = "HttpUser"
)

// runLocust returns the run function of one user class.
func runLocust(class locustClass) func(c *Config, t *Tool, l Load) (Run, *Proc, error) {
	return func(c *Config, t *Tool, l Load) (Run, *Proc, error) {
		if l.Users == 0 {
			// constant_throughput paces each user, not the test: a rate
			// split over users is not an open model.
			return nil, nil, ErrUnsupported("Locust has no open model (users only)")
		}
		file := l.Log + ".py"
		host, path, err := splitURL(l.URL)
		if err != nil {
			return nil, nil, err
		}
		if err := os.WriteFile(file, []byte(locustFile(class, path, l.Timeout)), 0o644); err != nil {
			return nil, nil, err
		}
		p, err := run(Job{CPU: c.GenCPU, Name: t.Bin, Args: locustArgs(l, file, host), Log: l.Log,
			Timeout: jobTimeout(l.Duration) + time.Minute, Sample: l.Sample})
		if err != nil {
			return nil, p, err
		}
		r, err := locustResults(p, l.Log+"_stats.csv")
		if err != nil {
			return nil, p, err
		}
		return r, p, nil
	}
}

// splitURL splits a URL into Locust's --host and the request path.
func splitURL(raw string) (host, path string, err error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "", "", fmt.Errorf("locust: bad URL %q", raw)
	}
	path = u.RequestURI()
	return u.Scheme + "://" + u.Host, path, nil
}

// locustFile is the locustfile for one class: one GET per task, no wait.
func locustFile(class locustClass, path string, timeout time.Duration) string {
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	// FastHttpUser takes the timeouts as class attributes; HttpUser
	// passes one per request to python-requests.
	attrs, kw := "", fmt.Sprintf(", timeout=%s", secs(timeout))
	if class == locustFast {
		attrs = fmt.Sprintf("    connection_timeout = %s\n    network_timeout = %s\n", secs(timeout), secs(timeout))
		kw = ""
	}
	return fmt.Sprintf(`from locust import %[1]s, task, constant


class Bench(%[1]s):
    wait_time = constant(0)
%[2]s
    @task
    def get(self):
        self.client.get(%[3]q%[4]s)
`, class, attrs, path, kw)
}

// locustArgs starts every user at once (spawn rate = users) for the
// duration, headless, with the statistics as CSV next to the log.
func locustArgs(l Load, file, host string) []string {
	n := strconv.Itoa(l.Users)
	return []string{"-f", file, "--headless", "--only-summary", "--loglevel", "WARNING",
		"-u", n, "-r", n, "-t", secs(l.Duration) + "s", "--stop-timeout", "0",
		"--host", host, "--csv", l.Log}
}

// reLocustTotal is the Aggregated line of the summary Locust prints last:
// requests, failures, then after the timings the rate. The CSV is written
// a moment earlier and can miss the last requests, so the counts come
// from here and the percentiles from the CSV.
var reLocustTotal = regexp.MustCompile(`(?m)^\s+Aggregated\s+(\d+)\s+(\d+)\(.*\|\s+([\d.]+)\s+[\d.]+\s*$`)

// locustResults fills a run from the printed totals and the stats CSV.
func locustResults(p *Proc, statsCSV string) (Run, error) {
	m := reLocustTotal.FindStringSubmatch(p.Stdout + p.Stderr)
	if m == nil {
		return nil, fmt.Errorf("locust exit %d: no summary: %s", p.Exit, lastLine(p.Stdout+p.Stderr))
	}
	r := baseRun(p)
	r["requests"], r["errors"], r["rps"] = atof(m[1]), atof(m[2]), atof(m[3])
	pct, err := locustPercentiles(statsCSV)
	if err != nil {
		return nil, err
	}
	putLatency(r, pct["50%"], pct["90%"], pct["99%"], pct["99.9%"], pct["100%"])
	return r, nil
}

// locustPercentiles reads the Aggregated row of Locust's stats CSV (ms).
func locustPercentiles(path string) (map[string]float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("locust: %v", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil || len(rows) < 2 {
		return nil, fmt.Errorf("locust: %s: %v", path, err)
	}
	for _, row := range rows[1:] {
		if len(row) != len(rows[0]) || strings.TrimSpace(row[1]) != "Aggregated" {
			continue
		}
		pct := map[string]float64{}
		for i, col := range rows[0] {
			pct[col] = atof(row[i])
		}
		return pct, nil
	}
	return nil, errors.New("locust: no Aggregated row in " + path)
}
