// Command surgeprof is the surge command line with profiling around it,
// for the benchmark only: it runs exactly what bin/surge runs and writes
// a CPU profile, an allocation profile and the allocation counters of
// the whole run.
//
//	SURGEPROF_DIR=out/profile surgeprof quick URL --users 64 --duration 10s
//
// writes cpu.pprof, allocs.pprof and memstats.json into SURGEPROF_DIR.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"

	"github.com/surge-dev/surge/internal/cli"
)

// memStats is the part of runtime.MemStats the bench reports.
type memStats struct {
	Mallocs    uint64 `json:"mallocs"`
	TotalAlloc uint64 `json:"total_alloc_bytes"`
	NumGC      uint32 `json:"num_gc"`
	PauseNs    uint64 `json:"gc_pause_total_ns"`
	HeapInuse  uint64 `json:"heap_inuse_bytes"`
	Sys        uint64 `json:"sys_bytes"`
}

func main() {
	dir := os.Getenv("SURGEPROF_DIR")
	if dir == "" {
		dir = "."
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fatal(err)
	}
	cpu, err := os.Create(filepath.Join(dir, "cpu.pprof"))
	if err != nil {
		fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if err := pprof.StartCPUProfile(cpu); err != nil {
		fatal(err)
	}
	code := cli.Main(os.Args[1:], cli.IO{Stdout: os.Stdout, Stderr: os.Stderr})
	pprof.StopCPUProfile()
	cpu.Close()
	runtime.ReadMemStats(&after)
	if err := writeProfile(filepath.Join(dir, "allocs.pprof")); err != nil {
		fatal(err)
	}
	st := memStats{
		Mallocs:    after.Mallocs - before.Mallocs,
		TotalAlloc: after.TotalAlloc - before.TotalAlloc,
		NumGC:      after.NumGC - before.NumGC,
		PauseNs:    after.PauseTotalNs - before.PauseTotalNs,
		HeapInuse:  after.HeapInuse,
		Sys:        after.Sys,
	}
	b, _ := json.MarshalIndent(st, "", "  ")
	if err := os.WriteFile(filepath.Join(dir, "memstats.json"), b, 0o644); err != nil {
		fatal(err)
	}
	os.Exit(code)
}

func writeProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return pprof.Lookup("allocs").WriteTo(f, 0)
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "surgeprof:", err)
	os.Exit(2)
}
