package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// ---- t: start-up time to the first request ----

// Startup is scenario t: hyperfine's timing of one-request runs.
type Startup struct {
	Rows []StartupRow
	Err  string
}

// StartupRow is one tool's one-request run, in milliseconds: hyperfine's
// figures from exec to exit, and the median (min–max) from exec to the
// first request line's arrival.
type StartupRow struct {
	Tool, Command               string
	Mean, SD, Min, Max, Md      float64
	Runs                        int
	FirstMd, FirstMin, FirstMax float64
	FirstRuns                   int
}

// startupCommand is the command line of a one-request run of tool at url
// ("" when the tool has none).
func startupCommand(t *Tool, url string) string {
	switch t.Name {
	case "surge":
		// hey's -c 1 is one worker: --users 1 (docs/cli.md), not the open
		// model at the default 50/s, whose first arrival is due at 20 ms.
		return t.Bin + " quick " + url + " -n 1 --users 1 --quiet"
	case "hey":
		return t.Bin + " -n 1 -c 1 " + url
	case "ab":
		return t.Bin + " -q -n 1 -c 1 " + url
	case "go-linked":
		return t.Bin + " " + url
	}
	return ""
}

// scenarioT times each tool's one-request run with hyperfine, all in one
// hyperfine call so that the runs interleave with the same machine state.
func (b *Bench) scenarioT(ngx *Server) {
	b.T = &Startup{}
	hf, err := exec.LookPath("hyperfine")
	if err != nil {
		b.T.Err = "hyperfine not installed (bench/install-peers.sh installs Debian's package)"
		return
	}
	dir := filepath.Join(b.c.Work, "t")
	_ = os.MkdirAll(dir, 0o755)
	out := filepath.Join(dir, "hyperfine.json")
	_ = os.Remove(out)
	args := []string{"--shell=none", "--style", "basic", "--warmup", itoa(b.c.TWarmup), "--runs", itoa(b.c.TRuns), "--export-json", out}
	for _, n := range b.c.TTools {
		t, ok := b.tools[n]
		cmd := ""
		if ok {
			cmd = startupCommand(t, "http://"+ngx.Addr+"/")
		}
		switch {
		case cmd == "":
			b.Notes = append(b.Notes, fmt.Sprintf("t: %s has no one-request command; left out", n))
		case t.Missing != "":
			b.Notes = append(b.Notes, fmt.Sprintf("t: %s %s", n, t.Missing))
		default:
			args = append(args, "--command-name", n, cmd)
		}
	}
	b.logf("t: hyperfine, %d runs each", b.c.TRuns)
	p, err := run(Job{CPU: b.c.GenCPU, Name: hf, Args: args, Log: filepath.Join(dir, "hyperfine"), Timeout: 10 * time.Minute})
	if err == nil && p.Exit != 0 {
		err = fmt.Errorf("hyperfine exit %d: %s", p.Exit, lastLine(p.Stderr))
	}
	if err != nil {
		b.T.Err = err.Error()
		return
	}
	if b.T.Rows, err = readHyperfine(out); err != nil {
		b.T.Err = err.Error()
		return
	}
	b.firstRequests()
}

// firstRequests times each tool of scenario t from exec to its first
// request, against the runner's own listener (nginx cannot say when a
// request came).
func (b *Bench) firstRequests() {
	f, err := listenFirstLine()
	if err != nil {
		b.Notes = append(b.Notes, "t: to the first request not measured: "+err.Error())
		return
	}
	defer f.close()
	b.logf("t: to the first request, %d runs each", b.c.TRuns)
	for i := range b.T.Rows {
		r := &b.T.Rows[i]
		cmd := startupCommand(b.tools[r.Tool], "URL")
		ms, err := f.firstRequests(b.c.GenCPU, cmd, b.c.TWarmup, b.c.TRuns)
		if err != nil {
			b.Notes = append(b.Notes, fmt.Sprintf("t: %s to the first request not measured: %v", r.Tool, err))
			continue
		}
		sort.Float64s(ms)
		r.FirstMd, r.FirstMin, r.FirstMax, r.FirstRuns = median(ms), ms[0], ms[len(ms)-1], len(ms)
	}
}

// readHyperfine reads hyperfine's JSON export, in milliseconds.
func readHyperfine(path string) ([]StartupRow, error) {
	bs, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Results []struct {
			Command string    `json:"command"`
			Mean    float64   `json:"mean"`
			Stddev  float64   `json:"stddev"`
			Median  float64   `json:"median"`
			Min     float64   `json:"min"`
			Max     float64   `json:"max"`
			Times   []float64 `json:"times"`
		} `json:"results"`
	}
	if err := json.Unmarshal(bs, &doc); err != nil {
		return nil, fmt.Errorf("hyperfine export: %v", err)
	}
	var rows []StartupRow
	for _, r := range doc.Results {
		rows = append(rows, StartupRow{Tool: r.Command, Mean: r.Mean * 1000, SD: r.Stddev * 1000, Md: r.Median * 1000,
			Min: r.Min * 1000, Max: r.Max * 1000, Runs: len(r.Times)})
	}
	return rows, nil
}

// startupRow is tool's row of scenario t.
func (s *Startup) row(tool string) (StartupRow, bool) {
	if s == nil {
		return StartupRow{}, false
	}
	for _, r := range s.Rows {
		if r.Tool == tool {
			return r, true
		}
	}
	return StartupRow{}, false
}

// section writes scenario t's table: mean ± sd and the ratio to Surge.
func (s *Startup) section(w *strings.Builder, c *Config) {
	fmt.Fprintf(w, "\n## t. Start-up: one request, from exec to the first request and to exit\n\n")
	fmt.Fprintf(w, "One worker sending one request: `surge quick URL -n 1 --users 1 --quiet`, `hey -n 1 -c 1 URL`, `ab -q -n 1 -c 1 URL`, each pinned to CPU %s. *exec to exit*: hyperfine (`--shell=none`, %d warm-up runs, %d timed runs per tool, interleaved by hyperfine's order) against nginx on CPU %s; the time covers the process's start, its request and its exit, summary included. *exec to first request*: the runner starts the tool (through taskset, whose own exec is in every figure alike) %d times after %d warm-up runs against a listener of its own, and times from just before the start to the arrival of the request line. The ratios are Surge/peer (below 1 means Surge is sooner). **go-linked** is not a peer but a floor: bench/startfloor, which links the packages Surge builds on Kubernetes types, the Prometheus client and gonum (for their initialisers alone) and sends one GET; no single binary with those features starts sooner.\n\n",
		c.GenCPU, c.TWarmup, c.TRuns, c.SrvCPU, c.TRuns, c.TWarmup)
	if s.Err != "" {
		fmt.Fprintf(w, "Not measured: %s\n", mdEscape(s.Err))
		return
	}
	surge, okS := s.row("surge")
	w.WriteString("| tool | exec to exit: mean ± sd ms | median ms | min–max ms | runs | exec to first request: median ms | min–max ms | Surge/peer exit (mean) | Surge/peer first request (median) |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range s.Rows {
		exit, first := "–", "–"
		if okS && r.Tool != "surge" && r.Mean > 0 {
			exit = fmt.Sprintf("%.2f×", surge.Mean/r.Mean)
		}
		if okS && r.Tool != "surge" && r.FirstMd > 0 {
			first = fmt.Sprintf("%.2f×", surge.FirstMd/r.FirstMd)
		}
		fmt.Fprintf(w, "| %s | %s ± %s | %s | %s–%s | %d | %s | %s–%s | %s | %s |\n", r.Tool, num(r.Mean, 1), num(r.SD, 1), num(r.Md, 1),
			num(r.Min, 1), num(r.Max, 1), r.Runs, num(r.FirstMd, 1), num(r.FirstMin, 1), num(r.FirstMax, 1), exit, first)
	}
}
