package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// ProfileResult is Surge's hot path under one load.
type ProfileResult struct {
	Title               string
	Requests, RPS       float64
	MallocsPerReq       float64
	BytesPerReq         float64
	GCs                 uint32
	GCPauseMs           float64
	CPUFlat, CPUCum     string
	AllocSpace, AllocOb string
	Dir                 string
	Err                 string
}

// profile runs Surge's CLI inside surgeprof (the same code as bin/surge
// with pprof around it) for the closed-loop throughput load of scenario a
// and for an open-model load.
func (b *Bench) profile(ngx *Server) {
	n := strconv.Itoa(b.c.AConns)
	url := "http://" + ngx.Addr + "/"
	d := b.c.PDuration.String()
	b.drainTimeWait(1000)
	b.Profiles = append(b.Profiles, b.profileRun("closed", fmt.Sprintf("closed loop, %s connections (scenario a's load)", n),
		"quick", url, "--users", n, "--connections", n, "--duration", d))
	b.drainTimeWait(1000)
	b.Profiles = append(b.Profiles, b.profileRun("open", fmt.Sprintf("open model, %s req/s, %s connections", num(b.c.PRate, 0), n),
		"quick", url, "--rate", ftoa(b.c.PRate), "--connections", n, "--duration", d))
}

// profileRun runs surgeprof with args and reads its results, memory
// statistics and profiles; a failure is kept in the result's Err.
func (b *Bench) profileRun(name, title string, args ...string) *ProfileResult {
	dir := filepath.Join(b.c.Work, "p-"+name)
	_ = os.MkdirAll(dir, 0o755)
	res := &ProfileResult{Dir: dir, Title: title}
	bin := filepath.Join(b.c.Bin, "surgeprof")
	out := filepath.Join(dir, "results.json")
	_ = os.Remove(out)
	b.logf("p: profiling surge, %s, %v", title, b.c.PDuration)
	p, err := run(Job{CPU: b.c.GenCPU, Name: bin, Env: []string{"SURGEPROF_DIR=" + dir}, Log: filepath.Join(dir, "surgeprof"),
		Args:    append(args, "--output", out, "--quiet"),
		Timeout: jobTimeout(b.c.PDuration)})
	if err != nil {
		res.Err = err.Error()
		return res
	}
	sr, err := readSurge(out)
	if err != nil {
		res.Err = fmt.Sprintf("surgeprof exit %d: %v %s", p.Exit, err, lastLine(p.Stderr))
		return res
	}
	res.Requests, res.RPS = float64(sr.Aggregate.Requests), sr.Aggregate.RPS
	res.readMemstats(dir)
	res.readProfiles(dir)
	return res
}

// readMemstats divides the allocations surgeprof recorded by the
// requests; it leaves them zero when the file is missing or no request
// was made.
func (res *ProfileResult) readMemstats(dir string) {
	var ms struct {
		Mallocs    uint64 `json:"mallocs"`
		TotalAlloc uint64 `json:"total_alloc_bytes"`
		NumGC      uint32 `json:"num_gc"`
		PauseNs    uint64 `json:"gc_pause_total_ns"`
	}
	bs, err := os.ReadFile(filepath.Join(dir, "memstats.json"))
	if err != nil || json.Unmarshal(bs, &ms) != nil || res.Requests <= 0 {
		return
	}
	res.MallocsPerReq = float64(ms.Mallocs) / res.Requests
	res.BytesPerReq = float64(ms.TotalAlloc) / res.Requests
	res.GCs = ms.NumGC
	res.GCPauseMs = float64(ms.PauseNs) / 1e6
}

// readProfiles renders the top entries of the CPU and allocation profiles.
func (res *ProfileResult) readProfiles(dir string) {
	cpu := filepath.Join(dir, "cpu.pprof")
	allocs := filepath.Join(dir, "allocs.pprof")
	res.CPUFlat = pprofTop(cpu, "-top", "-nodecount=30")
	res.CPUCum = pprofTop(cpu, "-top", "-cum", "-nodecount=40")
	res.AllocSpace = pprofTop(allocs, "-top", "-sample_index=alloc_space", "-nodecount=20")
	res.AllocOb = pprofTop(allocs, "-top", "-sample_index=alloc_objects", "-nodecount=25")
}

func pprofTop(file string, args ...string) string {
	out, err := output("go", append(append([]string{"tool", "pprof"}, args...), file)...)
	if err != nil {
		return "pprof failed: " + err.Error()
	}
	// Drop the header lines that name the temporary files.
	var keep []string
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if strings.HasPrefix(l, "File:") || strings.HasPrefix(l, "Build ID:") || strings.HasPrefix(l, "Time:") {
			continue
		}
		keep = append(keep, l)
	}
	return strings.Join(keep, "\n")
}
