#include "attribution/clock_alignment.h"

#include <gtest/gtest.h>

namespace gcpilot {
namespace {

TEST(AlignBySightings, NoSightingNoAlignment) { EXPECT_FALSE(AlignBySightings({}).has_value()); }

TEST(AlignBySightings, OneSightingIsThePollIntervalWide) {
  // Origin 1000 s; cycle ends at process 2 s (load 1002 s); written at once;
  // polls at 1001.990 s (missed it) and 1002.010 s (saw it).
  const int64_t s = 1'000'000'000;
  const auto a = AlignBySightings({{2 * s, 1002 * s - 10'000'000, 1002 * s + 10'000'000}}, 1'000'000, 0);
  ASSERT_TRUE(a.has_value());
  // Bracket [1000 s - 11 ms, 1000 s + 10 ms]: middle 999.9995 s, half width 10.5 ms.
  EXPECT_EQ(a->origin_ns, 1000 * s - 500'000);
  EXPECT_EQ(a->error_ns, 10'500'000);
  EXPECT_EQ(a->sightings, 1);
}

TEST(AlignBySightings, SightingsNarrowTheBracket) {
  const int64_t s = 1'000'000'000, origin = 500 * s;
  // Two cycles: one seen 2 ms after its end, the poll before 16 ms before
  // its end: [origin - 17 ms, origin + 2 ms]; one seen 7 ms after, the poll
  // before 3 ms before: [origin - 4 ms, origin + 7 ms]. Together:
  // [origin - 4 ms, origin + 2 ms].
  const auto a = AlignBySightings({{3 * s, origin + 3 * s - 16'000'000, origin + 3 * s + 2'000'000},
                                   {7 * s, origin + 7 * s - 3'000'000, origin + 7 * s + 7'000'000}},
                                  1'000'000, 0);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->origin_ns, origin - 1'000'000);
  EXPECT_EQ(a->error_ns, 3'000'000);
  EXPECT_EQ(a->sightings, 2);
}

TEST(AlignBySightings, ALinePrintedLateIsSetAsideOnTheLowSide) {
  const int64_t s = 1'000'000'000, origin = 500 * s;
  // Line 1 on time: [origin - 17 ms, origin + 2 ms]. Line 2 was written
  // 30 ms after its cycle (the poll before it came 20 ms after the end):
  // its low bound origin + 19 ms lies above the high one, so only its high
  // bound (origin + 35 ms) counts, which line 1's beats.
  const auto a = AlignBySightings({{3 * s, origin + 3 * s - 16'000'000, origin + 3 * s + 2'000'000},
                                   {7 * s, origin + 7 * s + 20'000'000, origin + 7 * s + 35'000'000}},
                                  1'000'000, 0);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->origin_ns, origin - 7'500'000);
  EXPECT_EQ(a->error_ns, 9'500'000);
}

TEST(AlignBySightings, RoundingWidensTheBracketOnBothSides) {
  const int64_t s = 1'000'000'000;
  // As the first test, with 1 ms of rounding: [1000 s - 12 ms, 1000 s + 11 ms].
  const auto a = AlignBySightings({{2 * s, 1002 * s - 10'000'000, 1002 * s + 10'000'000}}, 1'000'000, 1'000'000);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->origin_ns, 1000 * s - 500'000);
  EXPECT_EQ(a->error_ns, 11'500'000);
}

}  // namespace
}  // namespace gcpilot
