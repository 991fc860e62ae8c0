#include "model/gc_cpu.h"

#include <gtest/gtest.h>

namespace gcpilot {
namespace {

GcCycle CycleAt(int64_t start_ns, int64_t assist_ns, int32_t procs) {
  GcCycle c;
  c.start_ns = start_ns;
  c.cpu_assist_ns = assist_ns;
  c.procs = procs;
  return c;
}

// Cycles at 1, 2 and 3 s with 10, 20 and 40 ms of assists on 2 Ps: [1 s,
// 3 s) holds the first two, 30 ms of 2 x 2000 ms; idle marking never counts.
TEST(GcCpuTest, WindowCountsTheCyclesBegunInIt) {
  std::vector<GcCycle> cycles = {CycleAt(1'000'000'000, 10'000'000, 2), CycleAt(2'000'000'000, 20'000'000, 2),
                                 CycleAt(3'000'000'000, 40'000'000, 2)};
  cycles[0].cpu_idle_ns = 500'000'000;
  EXPECT_DOUBLE_EQ(WindowGcCpuShare(cycles, 1'000'000'000, 3'000'000'000), 30.0 / 4000);
  // GOMAXPROCS is the latest cycle's begun before the window's end.
  cycles[1].procs = 4;
  EXPECT_DOUBLE_EQ(WindowGcCpuShare(cycles, 1'000'000'000, 3'000'000'000), 30.0 / 8000);
  // No cycle in [4 s, 5 s): nothing spent, not unknown.
  EXPECT_EQ(WindowGcCpuShare(cycles, 4'000'000'000, 5'000'000'000), 0);
  // Before the first cycle, an empty window, no cycles: unknown.
  EXPECT_EQ(WindowGcCpuShare(cycles, 0, 500'000'000), -1);
  EXPECT_EQ(WindowGcCpuShare(cycles, 2'000'000'000, 2'000'000'000), -1);
  EXPECT_EQ(WindowGcCpuShare({}, 0, 1'000'000'000), -1);
}

// The sum of many cycles' GC CPU in a window may pass int64; the share
// stays right.
TEST(GcCpuTest, WindowGcCpuShareDoesNotOverflow) {
  std::vector<GcCycle> cycles;
  for (int i = 0; i < 4; ++i) cycles.push_back(CycleAt(i, 4'000'000'000'000'000'000, 1));
  EXPECT_DOUBLE_EQ(WindowGcCpuShare(cycles, 0, 8'000'000'000'000'000'000), 2.0);
}

}  // namespace
}  // namespace gcpilot
