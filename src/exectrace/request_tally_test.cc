#include "exectrace/request_tally.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace gcpilot {
namespace {

TracedRequest Request(int64_t id, int64_t start_ns, int64_t duration_ns, RequestTimeSplit split = {}) {
  if (split == RequestTimeSplit{}) split.running_ns = duration_ns;
  return {.name = "pay", .id = id, .span = {start_ns, start_ns + duration_ns}, .split = split};
}

// 100 requests of 1..100 ms: the P99 is the 99th (99 ms to the top of its
// bucket), so exactly one is slow; the P90 leaves ten.
TEST(RequestTally, SlowIsExactlyTheBucketsAboveThePercentile) {
  RequestTally tally(5);
  for (int64_t i = 1; i <= 100; ++i) {
    RequestTimeSplit split{.running_ns = i * 1'000'000};
    if (i % 2 == 0) split = {.running_ns = i * 1'000'000 - 1000, .stw_ns = 1000};
    if (i % 5 == 0) split.runnable_in_mark_ns = split.runnable_ns = 0;
    tally.Add(Request(i, i * 10, i * 1'000'000, split), /*assisted=*/i % 3 == 0);
  }
  TraceAttribution a;
  tally.Finish(99, &a);
  EXPECT_EQ(a.requests, 100);
  EXPECT_EQ(a.threshold_ns, 99'024'895);
  EXPECT_EQ(a.slow, 1);
  EXPECT_EQ(a.slow_met_stw, 1);   // 100 is even
  EXPECT_EQ(a.slow_assisted, 0);  // 100 is no multiple of 3
  EXPECT_EQ(a.slow_total, (RequestTimeSplit{.running_ns = 99'999'000, .stw_ns = 1000}));

  tally.Finish(90, &a);
  EXPECT_EQ(a.slow, 10);          // 91..100
  EXPECT_EQ(a.slow_met_stw, 5);   // 92, 94, .., 100
  EXPECT_EQ(a.slow_assisted, 3);  // 93, 96, 99
  EXPECT_EQ(a.slow_total.stw_ns, 5000);
  EXPECT_EQ(RequestWallNs(a.slow_total), (91 + 100) * 10 / 2 * 1'000'000);
  EXPECT_EQ(RequestWallNs(a.all_total), 5050 * 1'000'000LL);
  ASSERT_EQ(a.slowest.size(), 5u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(a.slowest[i].id, 100 - i);
}

TEST(RequestTally, TiesAreOrderedByStartThenId) {
  RequestTally tally(2);
  tally.Add(Request(3, 50, 1'000'000), false);
  tally.Add(Request(2, 20, 1'000'000), false);
  tally.Add(Request(1, 20, 1'000'000), false);
  tally.Add(Request(4, 10, 999'999), false);
  TraceAttribution a;
  tally.Finish(99, &a);
  ASSERT_EQ(a.slowest.size(), 2u);
  EXPECT_EQ(a.slowest[0].id, 1);
  EXPECT_EQ(a.slowest[1].id, 2);
}

TEST(RequestTally, NothingTalliedGivesNothingSlow) {
  RequestTally tally(0);
  TraceAttribution a;
  tally.Finish(99, &a);
  EXPECT_EQ(a.requests, 0);
  EXPECT_EQ(a.threshold_ns, 0);
  EXPECT_EQ(a.slow, 0);
  EXPECT_TRUE(a.slowest.empty());
}

}  // namespace
}  // namespace gcpilot
