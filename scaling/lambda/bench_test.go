package lambda

import (
	"runtime"
	"testing"
	"time"
)

const benchEnvs = 10000

// grow builds a model holding benchEnvs busy environments, advancing time
// one scaling window at a time as the current model requires.
func grow(b *testing.B, envs []*Env) *Model {
	m := newModel(b, func(c *Config) { c.AccountConcurrency = 2 * benchEnvs })
	envs = envs[:0]
	for now := time.Duration(0); len(envs) < benchEnvs; now += CurrentScaleWindow {
		for len(envs) < benchEnvs {
			env, _, thr := m.Acquire(now)
			if thr != None {
				break
			}
			envs = append(envs, env)
		}
	}
	return m
}

// BenchmarkModel10kEnvironments reports the heap a model keeps for 10,000
// concurrent environments (retained-B/model, and per environment), and the
// time and allocations to scale to them.
func BenchmarkModel10kEnvironments(b *testing.B) {
	envs := make([]*Env, 0, benchEnvs)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	m := grow(b, envs)
	runtime.GC()
	runtime.ReadMemStats(&after)
	retained := float64(after.HeapAlloc) - float64(before.HeapAlloc)
	if s := m.Snapshot(time.Hour); s.ConcurrentExecutions != benchEnvs {
		b.Fatalf("%d concurrent, want %d", s.ConcurrentExecutions, benchEnvs)
	}
	runtime.KeepAlive(m)

	b.ReportAllocs()
	for b.Loop() {
		grow(b, envs)
	}
	b.ReportMetric(retained, "retained-B/model")
	b.ReportMetric(retained/benchEnvs, "retained-B/env")
}
