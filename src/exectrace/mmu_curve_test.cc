#include "exectrace/mmu_curve.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace gcpilot {
namespace {

// The MMU of `steps` (ending at end_ns) by trying every whole-ns window
// start: exact, since every step and window size is a whole ns.
double BruteForceMmu(const std::vector<GcUtilizationStep>& steps, int64_t end_ns, int64_t w) {
  std::vector<double> u(static_cast<size_t>(end_ns - steps[0].at_ns));
  for (size_t i = 0; i < steps.size(); ++i) {
    const int64_t to = i + 1 < steps.size() ? steps[i + 1].at_ns : end_ns;
    for (int64_t t = steps[i].at_ns; t < to; ++t) u[static_cast<size_t>(t - steps[0].at_ns)] = steps[i].utilization();
  }
  double best = 2;
  double sum = 0;
  for (size_t t = 0; t < u.size(); ++t) {
    sum += u[t];
    if (t + 1 >= static_cast<size_t>(w)) {
      best = std::min(best, sum / static_cast<double>(w));
      sum -= u[t + 1 - static_cast<size_t>(w)];
    }
  }
  return best;
}

std::vector<MmuPoint> MmuOf(const std::vector<GcUtilizationStep>& steps, int64_t end_ns,
                          std::vector<int64_t> windows) {
  MmuCurve mmu(std::move(windows));
  for (const GcUtilizationStep& s : steps) mmu.OnUtilization(s);
  mmu.OnEnd(end_ns);
  return mmu.points();
}

TEST(MmuCurve, DefaultWindowsRunFrom100usTo1s) {
  EXPECT_EQ(DefaultMmuWindowsNs(),
            (std::vector<int64_t>{100'000, 200'000, 500'000, 1'000'000, 2'000'000, 5'000'000, 10'000'000, 20'000'000,
                                  50'000'000, 100'000'000, 200'000'000, 500'000'000, 1'000'000'000}));
}

// Both Ps stopped from 100 to 150, all free otherwise.
TEST(MmuCurve, FindsTheWorstWindowAndWhereItStarts) {
  std::vector<GcUtilizationStep> steps = {{0, 0, 2}, {100, 2, 2}, {150, 0, 2}};
  EXPECT_EQ(MmuOf(steps, 1000, {50, 100, 1000, 2000}),
            (std::vector<MmuPoint>{{50, 0.0, 100},
                                   {100, 0.5, 50},      // [50,150] and [100,200] tie: the first
                                   {1000, 0.95, 0},     // the whole trace
                                   {2000, 0.95, 0}}));  // longer than the trace: the whole trace, as go tool trace
}

TEST(MmuCurve, StepsAtOneInstantKeepTheLast) {
  std::vector<GcUtilizationStep> steps = {{0, 0, 4}, {10, 4, 4}, {10, 1, 4}, {20, 0, 4}};
  EXPECT_EQ(MmuOf(steps, 100, {10}), (std::vector<MmuPoint>{{10, 0.75, 10}}));
}

TEST(MmuCurve, NoStepsNoCurve) { EXPECT_TRUE(MmuOf({}, 100, {10}).empty()); }

TEST(MmuCurve, MatchesABruteForceSearchExactly) {
  std::vector<GcUtilizationStep> steps;
  uint64_t x = 12345;
  int64_t t = 0;
  for (int i = 0; i < 400; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    steps.push_back({t, static_cast<int32_t>((x >> 33) % 5), 4});
    t += 1 + static_cast<int64_t>((x >> 40) % 37);
  }
  const int64_t end = t + 5;
  const std::vector<int64_t> windows = {1, 7, 30, 100, 333, 1000, 5000};
  std::vector<MmuPoint> got = MmuOf(steps, end, windows);
  ASSERT_EQ(got.size(), windows.size());
  for (size_t i = 0; i < windows.size(); ++i) {
    if (windows[i] > end) continue;
    EXPECT_NEAR(got[i].utilization, BruteForceMmu(steps, end, windows[i]), 1e-12) << "window " << windows[i];
  }
}

// A long stream holds only the steps of the largest window.
TEST(MmuCurve, HoldsOnlyTheLargestWindowsSteps) {
  MmuCurve mmu({1'000, 10'000});
  for (int64_t i = 0; i < 100'000; ++i) mmu.OnUtilization({i * 1'000, static_cast<int32_t>(i % 2), 2});
  mmu.OnEnd(100'000'000);
  EXPECT_LE(mmu.max_held_steps(), 13u);
  // Utilization alternates 1 and 0.5 each microsecond, starting with 1.
  EXPECT_EQ(mmu.points(), (std::vector<MmuPoint>{{1'000, 0.5, 1'000}, {10'000, 0.75, 0}}));
}

}  // namespace
}  // namespace gcpilot
