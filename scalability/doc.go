// Package scalability fits models to what a load test measured, so that a
// handful of probes say more than their own numbers: where the curve bends
// (Kneedle), how throughput scales with concurrency and where it peaks (the
// Universal Scalability Law), and whether throughput, latency and
// concurrency agree with each other (Little's law).
//
// Kneedle (Satopää et al., 2011) finds the knee of a curve as the point
// farthest from the chord between its ends after both axes are scaled to
// [0, 1], confirmed only when the curve then falls away by the sensitivity
// S: throughput against offered load (concave) or latency against load
// (convex).
//
// The USL (Gunther) models throughput at concurrency N as
// X(N) = λN / (1 + σ(N−1) + κN(N−1)): σ is contention, κ coherency
// (crosstalk), and throughput peaks at N* = √((1−σ)/κ). FitUSL minimises
// the squared residuals with gonum's Nelder-Mead (bounded parameters by
// reparametrisation, started from the linearised least-squares fit) and
// gives confidence intervals by a residual bootstrap with a seeded
// generator. R² is not reported: it is not valid for non-linear
// regression (as the R usl package notes since 2.0.0).
//
// Little's law (L = X·R) checks a probe: the requests in flight that the
// throughput and mean latency imply against those counted.
//
// The package is pure in Surge's sense: it reads no clock and keeps no
// state; the same input and seed give the same numbers. (gonum's
// optimiser times itself and runs its method in a goroutine of its own;
// neither changes the result.)
package scalability
