#include "attribution/steady_estimate.h"

#include <gtest/gtest.h>

#include "attribution/attribution_test_util.h"

namespace gcpilot {
namespace {

using testing_util::Cycle;
using testing_util::kMiB;
using testing_util::Ms;

constexpr int64_t kBound = 180'000'000'000;

GcCycle HeapCycle(int64_t n, double start_ms, int64_t start_mib, int64_t end_mib, int64_t live_mib, int64_t goal_mib) {
  GcCycle c = Cycle(n, start_ms, 1, 8, 1);  // 10 ms wall
  c.heap_start_bytes = start_mib * kMiB;
  c.heap_end_bytes = end_mib * kMiB;
  c.heap_live_bytes = live_mib * kMiB;
  c.heap_goal_bytes = goal_mib * kMiB;
  return c;
}

// Origin 0: load clock = process clock. Cycle 0 ran in the warm-up (before
// the first request, at 900 ms) and must not count.
GcTimeline Growing() {
  GcTimeline gc;
  gc.load_clock_origin_ns = 0;
  gc.cycles = {
      // The heap grows from a cycle's live heap to the next one's start.
      HeapCycle(0, 0, 1, 900, 1, 1), HeapCycle(1, 1000, 102, 104, 100, 180),  // ends at 1010 ms
      HeapCycle(2, 3010, 120, 124, 100, 200),                                 // 20 MiB in 2 s: 10 MiB/s; ends at 3020
      HeapCycle(3, 7020, 148, 150, 110, 220),                                 // 48 MiB in 4 s: 12 MiB/s
  };
  return gc;
}

TEST(EstimatePeriod, FromTheMedianHeapGrowthAndTheNextGoal) {
  const GcTimeline gc = Growing();
  const PeriodFigures p = EstimatePeriod(CyclesOnLoadClock(gc, {}), Ms(900), kBound, kBound);
  EXPECT_EQ(p.cycles, 3);
  EXPECT_EQ(p.cycle_ns, Ms(10));
  EXPECT_DOUBLE_EQ(p.alloc_bytes_per_sec, 11.0 * kMiB);  // the median of 10 and 12 MiB/s
  EXPECT_EQ(p.goal_bytes, 242 * kMiB);                   // 220 MiB x 110 / 100
  // Observed: the median of 2010 and 4010 ms between the cycles' starts
  // (the heap-growth model's figures are kept beside it).
  EXPECT_EQ(p.period_ns, Ms(3010));
  EXPECT_TRUE(p.observed);
  EXPECT_FALSE(p.lower_bound);
  EXPECT_DOUBLE_EQ(p.duty, 10e6 / 3010e6);
}

TEST(EstimatePeriod, OneCycleBoundsThePeriodFromBelow) {
  GcTimeline gc = Growing();
  gc.cycles.resize(2);
  const PeriodFigures p = EstimatePeriod(CyclesOnLoadClock(gc, {}), Ms(900), kBound, kBound);
  EXPECT_EQ(p.cycles, 1);
  EXPECT_EQ(p.goal_bytes, 180 * kMiB);  // one cycle: its goal
  EXPECT_EQ(p.alloc_bytes_per_sec, 0);
  EXPECT_EQ(p.period_ns, kBound);
  EXPECT_TRUE(p.lower_bound);
  EXPECT_DOUBLE_EQ(p.duty, 10e6 / 180e9);
}

// A cycle before the first request (start-up, warm-up) but none in the
// bound: the GC does run at this setting, less often than the bound: its
// period is over the bound and the duty under the earlier wall over it.
TEST(EstimatePeriod, NoCycleInTheBoundButEarlierOnesBoundTheDuty) {
  GcTimeline gc = Growing();
  gc.cycles.resize(1);  // cycle 0 at 0 ms, 10 ms wall
  const PeriodFigures p = EstimatePeriod(CyclesOnLoadClock(gc, {}), Ms(900), kBound, kBound);
  EXPECT_EQ(p.cycles, 0);
  EXPECT_EQ(p.cycle_ns, Ms(10));
  EXPECT_EQ(p.period_ns, kBound);
  EXPECT_DOUBLE_EQ(p.duty, 10e6 / 180e9);
  EXPECT_TRUE(p.lower_bound);
}

TEST(EstimatePeriod, NoCycleAtAllMeansNoGc) {
  GcTimeline gc = Growing();
  gc.cycles.clear();
  const PeriodFigures p = EstimatePeriod(CyclesOnLoadClock(gc, {}), Ms(900), kBound, kBound);
  EXPECT_EQ(p.cycles, 0);
  EXPECT_EQ(p.period_ns, 0);
  EXPECT_EQ(p.duty, 0);
  EXPECT_FALSE(p.lower_bound);
}

std::vector<int64_t> Repeat(int n, int64_t ns) { return std::vector<int64_t>(n, ns); }

TEST(MixLatency, WeighsTheTwoDistributionsByDuty) {
  std::vector<int64_t> in = Repeat(5, Ms(2));
  for (int64_t v : Repeat(5, Ms(10))) in.push_back(v);
  SteadyEstimate est;
  // The window has 10% of its requests in GC, the steady state 2% of its time.
  MixLatency(in, Repeat(90, Ms(1)), 0.02, &est);
  EXPECT_EQ(est.in_gc_requests, 10);
  EXPECT_EQ(est.out_gc_requests, 90);
  EXPECT_EQ(est.in_gc_p99_ns, Ms(10));
  EXPECT_EQ(est.out_gc_p99_ns, Ms(1));
  EXPECT_EQ(est.p50_ns, 1'000'447);  // the 1 ms bucket's highest value
  EXPECT_EQ(est.p90_ns, 1'000'447);
  EXPECT_EQ(est.p99_ns, 2'000'895);  // 0.98 + 0.02 x 5/10 = 0.99 at the 2 ms bucket
  EXPECT_EQ(est.p999_ns, Ms(10));
  EXPECT_EQ(est.max_ns, Ms(10));
  EXPECT_EQ(est.mean_ns, Ms(1.1));  // 0.02 x 6 + 0.98 x 1 ms
  EXPECT_FALSE(est.upper_bound);
}

TEST(MixLatency, NoRequestInGcTakesThemAsTheSlowest) {
  std::vector<int64_t> out;
  for (int k = 1; k <= 100; ++k) out.push_back(Ms(k));
  SteadyEstimate est;
  MixLatency({}, out, 0.05, &est);
  EXPECT_EQ(est.p50_ns, 53'018'623);  // F_out^-1(0.5 / 0.95): the 53rd, 53 ms's bucket
  EXPECT_EQ(est.p90_ns, 95'027'199);  // 0.9 / 0.95: the 95th
  EXPECT_EQ(est.p99_ns, Ms(100));     // past 0.95: the window's max
  EXPECT_EQ(est.p999_ns, Ms(100));
  EXPECT_EQ(est.max_ns, Ms(100));
  EXPECT_EQ(est.mean_ns, Ms(52.975));  // 0.95 x 50.5 + 0.05 x 100 ms
  EXPECT_TRUE(est.upper_bound);
  EXPECT_EQ(est.in_gc_requests, 0);
}

TEST(MixLatency, NoRequestOutsideGcIsTheInGcDistribution) {
  SteadyEstimate est;
  MixLatency(Repeat(10, Ms(3)), {}, 0.01, &est);
  EXPECT_EQ(est.p50_ns, Ms(3));
  EXPECT_EQ(est.p99_ns, Ms(3));
  EXPECT_EQ(est.mean_ns, Ms(3));
  EXPECT_FALSE(est.upper_bound);
}

std::vector<JoinedRequest> Joined(GcPhase phase, int n, int64_t latency_ns) {
  JoinedRequest r;
  r.phase = phase;
  r.latency_ns = latency_ns;
  return std::vector<JoinedRequest>(n, r);
}

TEST(EstimateSteadyState, SaysWhereItsInputsCameFrom) {
  const GcTimeline gc = Growing();
  std::vector<JoinedRequest> requests = Joined(GcPhase::kMark, 10, Ms(10));
  for (const auto& r : Joined(GcPhase::kOutside, 990, Ms(1))) requests.push_back(r);
  const SteadyEstimate est = EstimateSteadyState(CyclesOnLoadClock(gc, {}), requests, Ms(900), kBound, kBound);
  EXPECT_TRUE(est.used);
  EXPECT_EQ(est.period_ns, Ms(3010));
  EXPECT_EQ(est.cycle_ns, Ms(10));
  EXPECT_DOUBLE_EQ(est.alloc_bytes_per_sec, 11.0 * kMiB);
  EXPECT_EQ(est.in_gc_requests, 10);
  EXPECT_EQ(est.out_gc_requests, 990);
  EXPECT_EQ(est.p99_ns, 1'000'447);  // 0.33% of the time in GC: P99 outside
  EXPECT_EQ(est.p999_ns, Ms(10));
  EXPECT_EQ(est.basis, "period 3.0 s as observed between 3 cycles; cycle 10 ms; duty 0.33%");
}

TEST(EstimateSteadyState, OneCycleWithoutRequestsInItIsAnUpperBound) {
  GcTimeline gc = Growing();
  gc.cycles.resize(2);
  const SteadyEstimate est =
      EstimateSteadyState(CyclesOnLoadClock(gc, {}), Joined(GcPhase::kOutside, 100, Ms(1)), Ms(900), kBound, kBound);
  EXPECT_TRUE(est.upper_bound);
  EXPECT_EQ(est.period_ns, kBound);
  EXPECT_EQ(est.basis,
            "no period within the 180.0 s bound (1 cycle): period over 180.0 s; cycle 10 ms; duty under 0.0056%; "
            "no request fell due in a cycle: an upper bound");
}

TEST(EstimateSteadyState, NoCycleIsTheLatencyOutsideGc) {
  GcTimeline gc = Growing();
  gc.cycles.clear();
  const SteadyEstimate est =
      EstimateSteadyState(CyclesOnLoadClock(gc, {}), Joined(GcPhase::kOutside, 100, Ms(2)), Ms(900), kBound, kBound);
  EXPECT_EQ(est.period_ns, 0);
  EXPECT_EQ(est.duty, 0);
  EXPECT_EQ(est.p99_ns, Ms(2));
  EXPECT_EQ(est.mean_ns, Ms(2));
  EXPECT_FALSE(est.upper_bound);
  EXPECT_EQ(est.basis, "no GC cycle within the 180.0 s bound or before it: duty 0, the latency outside GC");
}

}  // namespace
}  // namespace gcpilot
