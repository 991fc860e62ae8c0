#include "attribution/attribute_run.h"

#include <gtest/gtest.h>

#include "attribution/attribution_test_util.h"
#include "hdr/hdr_histogram.h"

namespace gcpilot {
namespace {

using testing_util::Cycle;
using testing_util::kMiB;
using testing_util::Ms;
using testing_util::Request;

constexpr int64_t kHour = 3'600'000'000'000;

// Load clock = process clock + 5 s. Cycles of 1 + 8 + 1 ms at load 5100
// and 5500 ms, one of 1 + 40 + 1 ms at 5300; the window is [5000, 5600)
// ms. 400 answered
// requests: 394 of 1 ms and 20, 21, 30 (due before cycle 1, in flight over
// its sweep termination), 31 (due in cycle 2's mark), 32 (due in cycle 1's
// recovery) and 33 ms (no GC near); the window's P99 is the 396th, 21 ms.
struct HandRun {
  GcTimeline gc;
  RequestLog log;
  HandRun() {
    gc.load_clock_origin_ns = Ms(5000);
    gc.origin_error_ns = Ms(1.5);
    gc.cycles = {Cycle(1, 100, 1, 8, 1), Cycle(2, 300, 1, 40, 1), Cycle(3, 500, 1, 8, 1)};
    for (int i = 0; i < 3; ++i) gc.cycles[i].heap_live_bytes = (10 + 2 * i) * kMiB;
    auto& r = log.records;
    r.push_back(Request(4999, 1));                                                             // before the window
    r.push_back(Request(5099.5, 30));                                                          // slow, met STW
    for (double due : {5100.0, 5101.0, 5105.0, 5109.0, 5109.5}) r.push_back(Request(due, 1));  // cycle 1
    r.push_back(Request(5105.5, -1));  // never answered: counted nowhere
    r.push_back(Request(5110.2, 32));  // slow, in cycle 1's recovery [5110, 5110.5)
    for (int k = 0; k < 380; ++k) r.push_back(Request(5200 + 0.25 * k, 1));
    for (double due : {5300.0, 5301.0}) r.push_back(Request(due, 1));  // cycle 2
    r.push_back(Request(5302, 31));                                    // slow, due in mark
    for (double due : {5305.0, 5341.5}) r.push_back(Request(due, 1));
    r.push_back(Request(5342.2, 1));  // cycle 2's recovery [5342, 5342.5)
    for (int k = 0; k < 4; ++k) r.push_back(Request(5400 + k, 1));
    r.push_back(Request(5410, 20));
    r.push_back(Request(5411, 21));
    r.push_back(Request(5450, 33));  // slow, no GC near
    r.push_back(Request(5600, 1));   // at the window's end: out
  }
};

constexpr MeasuredWindow kWholePeriods{
    .from_ns = 5'000'000'000, .to_ns = 5'600'000'000, .periods = 2, .min_periods = 2, .whole_periods = true};

TEST(AttributeRun, CountsEachPhaseAndAttributesTheSlowRequests) {
  HandRun run;
  const RunAttribution a = AttributeRun(run.log, run.gc, kWholePeriods, 20 * kMiB, kHour);
  EXPECT_EQ(a.window, kWholePeriods);
  EXPECT_EQ(a.alignment_error_ns, Ms(1.5));
  const int64_t one_ms_bucket = HdrHistogram::ForLatencyNs().HighestEquivalent(Ms(1));
  EXPECT_EQ(one_ms_bucket, 1'000'447);
  EXPECT_EQ(a.phases[static_cast<int>(GcPhase::kStw)],
            (PhaseLatency{.requests = 5, .p50_ns = Ms(1), .p99_ns = Ms(1), .max_ns = Ms(1), .mean_ns = Ms(1)}));
  EXPECT_EQ(a.phases[static_cast<int>(GcPhase::kMark)],
            (PhaseLatency{.requests = 5, .p50_ns = 1'000'447, .p99_ns = Ms(31), .max_ns = Ms(31), .mean_ns = Ms(7)}));
  EXPECT_EQ(
      a.phases[static_cast<int>(GcPhase::kRecovery)],
      (PhaseLatency{.requests = 2, .p50_ns = 1'000'447, .p99_ns = Ms(32), .max_ns = Ms(32), .mean_ns = Ms(16.5)}));
  // 384 of 1 ms, 20, 21, 30, 33: mean 488 / 388 ms.
  EXPECT_EQ(a.phases[static_cast<int>(GcPhase::kOutside)],
            (PhaseLatency{
                .requests = 388, .p50_ns = 1'000'447, .p99_ns = 20'004'863, .max_ns = Ms(33), .mean_ns = 1'257'732}));
  EXPECT_EQ(a.slow,
            (SlowRequests{
                .threshold_ns = 21'004'287, .slow = 4, .met_stw = 1, .due_in_mark = 1, .in_recovery = 1, .no_gc = 1}));
}

TEST(AttributeRun, ChargesEachCycleItsExcessAndRecovery) {
  HandRun run;
  const RunAttribution a = AttributeRun(run.log, run.gc, kWholePeriods, -1, kHour);
  ASSERT_EQ(a.cycles.size(), 3u);
  EXPECT_EQ(a.cycles[0], (CycleExcess{.cycle = 1,
                                      .start_ns = Ms(5100),
                                      .requests = 5,
                                      .mean_ns = Ms(1),
                                      .excess_ns = Ms(1) - 1'257'732,
                                      .recovery_ns = Ms(0.5)}));
  EXPECT_EQ(a.cycles[1], (CycleExcess{.cycle = 2,
                                      .start_ns = Ms(5300),
                                      .requests = 5,
                                      .mean_ns = Ms(7),
                                      .excess_ns = Ms(7) - 1'257'732,
                                      .recovery_ns = Ms(0.5)}));
  EXPECT_EQ(a.cycles[2], (CycleExcess{.cycle = 3, .start_ns = Ms(5500)}));
  EXPECT_EQ(a.recovery_ns, Ms(0.5));  // cycle 3 had no request: not in the median
  EXPECT_FALSE(a.estimate.used);      // whole periods: no estimate
  EXPECT_EQ(a.estimate, SteadyEstimate{});
}

TEST(AttributeRun, FitsTheHeapAndWarnsOfTheLimit) {
  HandRun run;
  const RunAttribution a = AttributeRun(run.log, run.gc, kWholePeriods, 20 * kMiB, kHour);
  EXPECT_EQ(a.heap.cycles, 3);
  EXPECT_DOUBLE_EQ(a.heap.slope_bytes_per_sec, 10.0 * kMiB);  // 2 MiB per 0.2 s
  EXPECT_EQ(a.heap.live_bytes, 15 * kMiB);                    // at 5600 ms
  EXPECT_EQ(a.heap.limit_bytes, 20 * kMiB);
  EXPECT_EQ(a.heap.limit_reached_in_ns, 500'000'000);
  EXPECT_EQ(a.heap.horizon_ns, kHour);
  EXPECT_EQ(a.heap.warning, "live heap +10.0 MiB/s: GOMEMLIMIT=20MiB is reached in ~0.5 s, then GC runs back to back");
}

TEST(AttributeRun, WindowShortOfWholePeriodsGetsTheEstimate) {
  HandRun run;
  MeasuredWindow bound = kWholePeriods;
  bound.whole_periods = false;
  const RunAttribution a = AttributeRun(run.log, run.gc, bound, -1, kHour);
  EXPECT_TRUE(a.estimate.used);
  // The walls of the two cycles that have a next one, 10 and 42 ms.
  EXPECT_EQ(a.estimate.cycle_ns, Ms(26));
  EXPECT_EQ(a.estimate.in_gc_requests, 10);
  EXPECT_EQ(a.estimate.out_gc_requests, 390);
  // No heap growth between the cycles (heap_start/end are 0): the period
  // as the cycles came, 200 ms.
  EXPECT_EQ(a.estimate.period_ns, Ms(200));
  EXPECT_DOUBLE_EQ(a.estimate.duty, 0.13);
  EXPECT_EQ(a.estimate.basis, "period 200 ms as observed between 3 cycles; cycle 26 ms; duty 13%");
}

TEST(AttributeRun, UnalignedClocksGiveNoAttribution) {
  HandRun run;
  run.gc.load_clock_origin_ns = GcTimeline::kUnknown;
  run.gc.origin_error_ns = GcTimeline::kUnknown;
  const RunAttribution a = AttributeRun(run.log, run.gc, kWholePeriods, 20 * kMiB, kHour);
  RunAttribution want;
  want.window = kWholePeriods;
  want.alignment_error_ns = -1;
  EXPECT_EQ(a, want);
}

TEST(AttributeRun, NoRequestsGivesEmptyFigures) {
  HandRun run;
  run.log.records.clear();
  const RunAttribution a = AttributeRun(run.log, run.gc, kWholePeriods, -1, kHour);
  for (const PhaseLatency& p : a.phases) EXPECT_EQ(p, PhaseLatency{});
  EXPECT_EQ(a.slow, SlowRequests{});
  ASSERT_EQ(a.cycles.size(), 3u);
  EXPECT_EQ(a.recovery_ns, 0);
}

}  // namespace
}  // namespace gcpilot

namespace gcpilot {
namespace {

TEST(AttributeRun, AFixedWindowGetsNoEstimate) {
  HandRun run;
  MeasuredWindow fixed = kWholePeriods;
  fixed.whole_periods = false;
  fixed.min_periods = 0;  // gcpilot load, or tune --min-gc-periods 0
  const RunAttribution a = AttributeRun(run.log, run.gc, fixed, -1, kHour);
  EXPECT_EQ(a.estimate, SteadyEstimate{});
}

TEST(AttributeRun, ErrorsAreNotLatencies) {
  HandRun run;
  const RunAttribution before = AttributeRun(run.log, run.gc, kWholePeriods, -1, kHour);
  // A timeout due outside GC: seen 5 s after it was due, not an answer.
  RequestRecord timeout = run.log.records[10];
  timeout.done_ns = timeout.due_ns + 5'000'000'000;
  timeout.outcome = RequestOutcome::kTimeout;
  run.log.records.insert(run.log.records.begin() + 11, timeout);
  const RunAttribution after = AttributeRun(run.log, run.gc, kWholePeriods, -1, kHour);
  EXPECT_EQ(after.phases, before.phases);
  EXPECT_EQ(after.slow, before.slow);
}

}  // namespace
}  // namespace gcpilot
