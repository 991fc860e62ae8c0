#include "model/gc_cycle.h"

#include <gtest/gtest.h>

#include "model/gc_timeline.h"

namespace gcpilot {
namespace {

// gc 9 @8.455s 7%: 0.086+475+0.035 ms clock, ..., 452->491->288 MB, 531 MB goal, ...
GcCycle Example() {
  GcCycle c;
  c.number = 9;
  c.start_ns = 8'455'000'000;
  c.sweep_term_ns = 86'000;
  c.mark_ns = 475'000'000;
  c.mark_term_ns = 35'000;
  c.heap_start_bytes = int64_t{452} << 20;
  c.heap_live_bytes = int64_t{288} << 20;
  return c;
}

TEST(GcCycleTest, PhasesFollowEachOtherFromTheStart) {
  const GcCycle c = Example();
  EXPECT_EQ(c.sweep_term(), (TimeSpan{8'455'000'000, 8'455'086'000}));
  EXPECT_EQ(c.mark(), (TimeSpan{8'455'086'000, 8'930'086'000}));
  EXPECT_EQ(c.mark_term(), (TimeSpan{8'930'086'000, 8'930'121'000}));
  EXPECT_EQ(c.end_ns(), 8'930'121'000);
  EXPECT_EQ(c.stw_ns(), 121'000);
  EXPECT_EQ(c.wall_ns(), c.end_ns() - c.start_ns);
}

TEST(GcCycleTest, PrintedMegabytesComeBackExactly) {
  GcCycle c = Example();
  EXPECT_EQ(c.heap_start_mb(), 452);
  EXPECT_EQ(c.heap_live_mb(), 288);
  EXPECT_EQ(c.stacks_mb(), GcCycle::kUnknown);
  c.stacks_bytes = (int64_t{3} << 20) + 12345;  // a trace's byte value
  EXPECT_EQ(c.stacks_mb(), 3);
}

TEST(GcCycleTest, MegabytesPastInt64AreCutAndSaid) {
  int64_t b = 0;
  EXPECT_TRUE(MbToBytes(531, &b));
  EXPECT_EQ(b, int64_t{531} << 20);
  EXPECT_FALSE(MbToBytes(int64_t{1} << 50, &b));
  EXPECT_EQ(b, (std::numeric_limits<int64_t>::max() >> 20) << 20);
}

TEST(GcTimelineTest, ProcessTimesMapOntoTheLoadClockOnceAligned) {
  GcTimeline t;
  EXPECT_FALSE(t.aligned());
  t.load_clock_origin_ns = 1'000'000'000'000;
  t.origin_error_ns = 1'000'000;
  EXPECT_TRUE(t.aligned());
  EXPECT_EQ(t.ToLoadClock(Example().start_ns), 1'008'455'000'000);
}

}  // namespace
}  // namespace gcpilot
