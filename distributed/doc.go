// Package distributed runs one test as shares on several processes, one
// of which coordinates: Coordinate listens for workers, gathers them at a
// barrier (the same plan on every share, each share once), measures their
// clocks, sends one start instant, merges their seconds live (progress,
// dashboard, thresholds and alerts through session.Follow), stops them all
// when a rule or Ctrl-C says so, merges their final results exactly
// (results.Merge) and sends them the verdict. Work is a worker's side:
// it joins, runs its share through session.Run at the start instant,
// streams each second and sends its results. Processes.Start starts worker
// processes of this binary on this machine (surge run --local).
//
// The state machines are package coord's, the protocol package
// coord/wire's; this package adds the network, the clocks and the
// goroutines. See docs/distributed.md.
package distributed
