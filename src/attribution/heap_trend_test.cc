#include "attribution/heap_trend.h"

#include <cmath>

#include <gtest/gtest.h>

#include "attribution/attribution_test_util.h"
#include "model/gc_knobs.h"

namespace gcpilot {
namespace {

using testing_util::Cycle;
using testing_util::kMiB;

constexpr int64_t kHour = 3'600'000'000'000;
constexpr int64_t kSec = 1'000'000'000;

// Cycles every 10 s from 0 with these live heaps (MiB); the window is
// [0, 40 s).
GcTimeline Lives(const std::vector<double>& mib) {
  GcTimeline gc;
  gc.load_clock_origin_ns = 0;
  for (size_t i = 0; i < mib.size(); ++i) {
    GcCycle c = Cycle(static_cast<int64_t>(i + 1), 10'000.0 * i, 0.1, 5, 0.1);
    c.heap_live_bytes = std::llround(mib[i] * kMiB);
    gc.cycles.push_back(c);
  }
  return gc;
}

constexpr MeasuredWindow kWindow{.from_ns = 0, .to_ns = 40 * kSec};

HeapTrend Fit(const GcTimeline& gc, int64_t limit, int64_t horizon = kHour) {
  return FitHeapTrend(CyclesOnLoadClock(gc, {}), kWindow, limit, horizon);
}

TEST(FitHeapTrend, GrowingHeapReachesTheLimit) {
  const HeapTrend t = Fit(Lives({300, 320, 340, 360}), 450 * kMiB);
  EXPECT_EQ(t.cycles, 4);
  EXPECT_DOUBLE_EQ(t.slope_bytes_per_sec, 2.0 * kMiB);
  EXPECT_EQ(t.slope_stderr_bytes_per_sec, 0);
  EXPECT_EQ(t.live_bytes, 380 * kMiB);  // at 40 s
  EXPECT_EQ(t.limit_reached_in_ns, 35 * kSec);
  EXPECT_EQ(t.warning, "live heap +2.0 MiB/s: GOMEMLIMIT=450MiB is reached in ~35 s, then GC runs back to back");
}

// GOMEMLIMIT counts the goroutine stacks too: 30 MiB of them leave the
// live heap 420 of the 450 MiB, reached 15 s sooner.
TEST(FitHeapTrend, TheStacksCountAgainstTheLimit) {
  GcTimeline gc = Lives({300, 320, 340, 360});
  for (GcCycle& c : gc.cycles) c.stacks_bytes = 30 * kMiB;
  const HeapTrend t = Fit(gc, 450 * kMiB);
  EXPECT_EQ(t.limit_reached_in_ns, 20 * kSec);
  EXPECT_EQ(t.warning, "live heap +2.0 MiB/s: GOMEMLIMIT=450MiB is reached in ~20 s, then GC runs back to back");
}

// A limit of petabytes and a crawl of a slope: past any horizon, never a
// wrapped-around time.
TEST(FitHeapTrend, AFarLimitIsNotReached) {
  const HeapTrend t = Fit(Lives({300, 300.001, 300.002, 300.003}), int64_t{1} << 60);
  EXPECT_EQ(t.limit_reached_in_ns, -1);
  EXPECT_EQ(t.warning, "");
}

TEST(FitHeapTrend, PastTheHorizonOrWithoutALimitNoWarning) {
  const GcTimeline gc = Lives({300, 320, 340, 360});
  const HeapTrend later = Fit(gc, 450 * kMiB, 30 * kSec);
  EXPECT_EQ(later.limit_reached_in_ns, -1);
  EXPECT_EQ(later.warning, "");
  EXPECT_EQ(later.horizon_ns, 30 * kSec);
  for (int64_t none : {int64_t{-1}, kMemLimitOff}) {
    const HeapTrend t = Fit(gc, none);
    EXPECT_EQ(t.limit_reached_in_ns, -1);
    EXPECT_EQ(t.warning, "");
    EXPECT_DOUBLE_EQ(t.slope_bytes_per_sec, 2.0 * kMiB);
  }
}

TEST(FitHeapTrend, AlreadyAtTheLimit) {
  const HeapTrend t = Fit(Lives({300, 320, 340, 360}), 1000 * 1000 * 350);
  EXPECT_EQ(t.limit_reached_in_ns, 0);
  EXPECT_EQ(t.warning, "live heap +2.0 MiB/s: GOMEMLIMIT=350000000B is reached already, then GC runs back to back");
}

TEST(FitHeapTrend, FlatHeapNoWarning) {
  const HeapTrend t = Fit(Lives({300, 300, 300, 300}), 301 * kMiB);
  EXPECT_EQ(t.slope_bytes_per_sec, 0);
  EXPECT_EQ(t.live_bytes, 300 * kMiB);
  EXPECT_EQ(t.limit_reached_in_ns, -1);
  EXPECT_EQ(t.warning, "");
}

TEST(FitHeapTrend, NoisyButFlatHeapNoWarning) {
  // Over 0..40 s (window [0, 40 s) holds the first four; widen it).
  const GcTimeline gc = Lives({300, 310, 296, 304, 306});
  const HeapTrend t = FitHeapTrend(CyclesOnLoadClock(gc, {}), {.from_ns = 0, .to_ns = 50 * kSec}, 310 * kMiB, kHour);
  EXPECT_EQ(t.cycles, 5);
  // Mean 303.2 MiB at 20 s; Sxy = 60 MiB s, Sxx = 1000 s^2; residuals
  // -2, 7.4, -7.2, 0.2, 1.6 MiB: SSR 113.2 MiB^2.
  EXPECT_NEAR(t.slope_bytes_per_sec, 0.06 * kMiB, 1e-6);
  EXPECT_NEAR(t.slope_stderr_bytes_per_sec, std::sqrt(113.2 / 3 / 1000) * kMiB, 1e-6);
  EXPECT_EQ(t.live_bytes, std::llround(305.0 * kMiB));  // 303.2 + 0.06 x 30 MiB
  EXPECT_EQ(t.limit_reached_in_ns, -1);                 // 0.06 MiB/s is within twice its error (0.19 MiB/s)
  EXPECT_EQ(t.warning, "");
}

TEST(FitHeapTrend, UnderThreeCyclesNoSlope) {
  const HeapTrend t = Fit(Lives({300, 320}), 301 * kMiB);
  EXPECT_EQ(t.cycles, 2);
  EXPECT_EQ(t.slope_bytes_per_sec, 0);
  EXPECT_EQ(t.live_bytes, 310 * kMiB);  // their mean
  EXPECT_EQ(t.warning, "");
  EXPECT_EQ(Fit(Lives({}), 1).live_bytes, 0);
}

TEST(FitHeapTrend, OnlyTheWindowsCycles) {
  // The fifth cycle (at 40 s) is outside [0, 40 s): its drop is not seen.
  const HeapTrend t = Fit(Lives({300, 320, 340, 360, 0}), 450 * kMiB);
  EXPECT_EQ(t.cycles, 4);
  EXPECT_DOUBLE_EQ(t.slope_bytes_per_sec, 2.0 * kMiB);
}

}  // namespace
}  // namespace gcpilot
