// The steady-state estimate of a run whose window could not hold enough
// whole GC periods (MeasuredWindow::whole_periods false): the latency the
// service would show over many periods, from the in-GC and out-of-GC
// distributions the run measured, mixed in the share of time a cycle runs.
//
// Definitions (docs/glossary.md, "steady-state estimate"):
// - The run's cycles: those that started at or after the first measured
//   request fell due (earlier ones ran during the warm-up or start-up).
// - Period: with two or more of those cycles, the median time from one's
//   start to the next's, as observed (a measurement beats the heap-growth
//   model, whose inputs gctrace prints in whole MiB). The model's figures
//   are kept beside it: the allocation rate, the median over consecutive
//   pairs of (heap_start[i] - heap_live[i-1]) / (start[i] - end[i-1])
//   (after a cycle the heap is what it marked live), and the next goal,
//   last goal x last live / previous live.
// - Duty: median cycle wall time / period.
// - Fewer than two cycles: no period is found; the bound's length is a
//   lower bound on it, so the duty computed from it is an upper bound, and
//   `basis` says so. No cycle at all: the GC
//   did not run in the bound; period 0, duty 0, the estimate is the
//   latency outside GC.
// - In GC: requests due in an STW phase or concurrent mark; out of GC: all
//   others (recovery and outside). The mixture's quantile q is the x that
//   solves duty x F_in(x) + (1 - duty) x F_out(x) = q over the two
//   HdrHistograms (the highest value equivalent to the bucket where the
//   mixed CDF reaches q, capped at the larger max); its mean is mixed the
//   same way from the exact means.
// - No request fell due in a cycle (F_in unknown): every in-GC request is
//   taken as slower than all others, so quantile q is
//   F_out^-1(q / (1 - duty)) while q < 1 - duty, else the window's max,
//   the mean is (1 - duty) x mean_out + duty x max, and upper_bound is set.
#ifndef GCPILOT_ATTRIBUTION_STEADY_ESTIMATE_H_
#define GCPILOT_ATTRIBUTION_STEADY_ESTIMATE_H_

#include <cstdint>
#include <vector>

#include "attribution/phase_join.h"
#include "model/gc_attribution.h"

namespace gcpilot {

// What the run's cycles say about the steady-state period.
struct PeriodFigures {
  int64_t cycles = 0;              // the run's cycles (see above)
  int64_t cycle_ns = 0;            // their median wall time
  double alloc_bytes_per_sec = 0;  // 0 where no pair gave a rate
  int64_t goal_bytes = 0;          // the next goal
  // > 0 when found; else the bound's length (a lower bound), or 0 when no
  // cycle ran.
  int64_t period_ns = 0;
  bool lower_bound = false;  // period_ns is a lower bound
  bool observed = false;     // period_ns is the median start-to-start time (no growth printed)
  double duty = 0;           // cycle_ns / period_ns (an upper bound with lower_bound)
};

// The period figures from `cycles` (on the load clock, in order), counting
// the cycles that start in [first_due_ns, end_ns); `bound_ns` is the run's
// measured length (the lower bound where no period is found). With an
// observed period, the cycle wall time is the median over the cycles that
// have a next one; duty = wall / period, at most 1 (back to back).
PeriodFigures EstimatePeriod(const std::vector<CycleSpans>& cycles, int64_t first_due_ns, int64_t end_ns,
                             int64_t bound_ns);

// The mixture of the in-GC and out-of-GC latencies (ns) with weight `duty`
// (0..1) on in-GC, into the estimate's p50 .. mean, upper_bound,
// in/out counts and P99s. Empty out_gc: the in-GC distribution alone.
void MixLatency(const std::vector<int64_t>& in_gc_ns, const std::vector<int64_t>& out_gc_ns, double duty,
                SteadyEstimate* est);

// The whole estimate for the window's joined requests (used = true).
SteadyEstimate EstimateSteadyState(const std::vector<CycleSpans>& cycles, const std::vector<JoinedRequest>& requests,
                                   int64_t first_due_ns, int64_t end_ns, int64_t bound_ns);

}  // namespace gcpilot

#endif  // GCPILOT_ATTRIBUTION_STEADY_ESTIMATE_H_
