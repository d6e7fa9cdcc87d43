package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// ---- t: start-up time to the first request ----

// Startup is scenario t: hyperfine's timing of one-request runs.
type Startup struct {
	Rows []StartupRow
	Err  string
}

// StartupRow is one tool's one-request run, in milliseconds.
type StartupRow struct {
	Tool, Command          string
	Mean, SD, Min, Max, Md float64
	Runs                   int
}

// startupCommand is the command line of a one-request run of tool at url
// ("" when the tool has none).
func startupCommand(t *Tool, url string) string {
	switch t.Name {
	case "surge":
		return t.Bin + " quick " + url + " -n 1 --quiet"
	case "hey":
		return t.Bin + " -n 1 -c 1 " + url
	case "ab":
		return t.Bin + " -q -n 1 -c 1 " + url
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
	fmt.Fprintf(w, "\n## t. Start-up: one request, from exec to exit\n\n")
	fmt.Fprintf(w, "hyperfine (`--shell=none`, %d warm-up runs, %d timed runs per tool, interleaved by hyperfine's order), pinned to CPU %s, against nginx on CPU %s: `surge quick URL -n 1 --quiet`, `hey -n 1 -c 1 URL`, `ab -q -n 1 -c 1 URL`. The time covers the process's start, its first (and only) request and its exit, summary included. The ratio is Surge/peer of the mean (below 1 means Surge is done sooner).\n\n",
		c.TWarmup, c.TRuns, c.GenCPU, c.SrvCPU)
	if s.Err != "" {
		fmt.Fprintf(w, "Not measured: %s\n", mdEscape(s.Err))
		return
	}
	surge, okS := s.row("surge")
	w.WriteString("| tool | mean ± sd ms | median ms | min–max ms | runs | Surge/peer mean |\n|---|---:|---:|---:|---:|---:|\n")
	for _, r := range s.Rows {
		ratio := "–"
		if okS && r.Tool != "surge" && r.Mean > 0 {
			ratio = fmt.Sprintf("%.2f×", surge.Mean/r.Mean)
		}
		fmt.Fprintf(w, "| %s | %s ± %s | %s | %s–%s | %d | %s |\n", r.Tool, num(r.Mean, 1), num(r.SD, 1), num(r.Md, 1),
			num(r.Min, 1), num(r.Max, 1), r.Runs, ratio)
	}
}
