#include "attribution/period_window.h"

#include <gtest/gtest.h>

namespace gcpilot {
namespace {

constexpr int64_t kS = 1'000'000'000;

TEST(PeriodWatch, CompletesAtTheStartThatEndsTheLastPeriodAsked) {
  PeriodWatch w(10 * kS, 5 * kS, 3);
  w.AddCycleStart(9 * kS);  // before the warm-up's end: not a window start
  EXPECT_EQ(w.periods(), 0);
  w.AddCycleStart(11 * kS);
  w.AddCycleStart(13 * kS);
  w.AddCycleStart(15 * kS);
  EXPECT_EQ(w.periods(), 2);
  EXPECT_FALSE(w.complete());
  w.AddCycleStart(17 * kS);
  EXPECT_TRUE(w.complete());
  w.AddCycleStart(19 * kS);  // after completion: the window stays
  EXPECT_EQ(
      w.Window(40 * kS),
      (MeasuredWindow{.from_ns = 11 * kS, .to_ns = 17 * kS, .periods = 3, .min_periods = 3, .whole_periods = true}));
  EXPECT_EQ(w.ExpectedCompleteNs(), 17 * kS);
}

TEST(PeriodWatch, TheFloorAsksForMorePeriodsWhenTheyAreShort) {
  PeriodWatch w(0, 10 * kS, 2);
  for (int64_t t : {1, 3, 5, 7, 9, 11}) w.AddCycleStart(t * kS);
  EXPECT_EQ(w.periods(), 5);
  EXPECT_TRUE(w.complete());  // 2 periods were asked, the 10 s floor took 5
  EXPECT_EQ(w.Window(60 * kS).to_ns, 11 * kS);
}

TEST(PeriodWatch, FloorReachedExactlyCompletes) {
  PeriodWatch w(0, 10 * kS, 2);
  for (int64_t t : {1, 3, 5, 7, 9}) w.AddCycleStart(t * kS);
  EXPECT_FALSE(w.complete());
  EXPECT_EQ(w.ExpectedCompleteNs(), 11 * kS);  // 5 periods of 2 s reach the floor
  w.AddCycleStart(11 * kS);
  EXPECT_TRUE(w.complete());
  EXPECT_EQ(w.Window(60 * kS).periods, 5);
  EXPECT_EQ(w.Window(60 * kS).length_ns(), 10 * kS);
}

TEST(PeriodWatch, AnIncompleteWindowIsTheBoundWithTheWholePeriodsInside) {
  PeriodWatch w(10 * kS, 0, 3);
  w.AddCycleStart(12 * kS);
  w.AddCycleStart(20 * kS);
  w.AddCycleStart(28 * kS);
  EXPECT_EQ(
      w.Window(30 * kS),
      (MeasuredWindow{.from_ns = 10 * kS, .to_ns = 30 * kS, .periods = 2, .min_periods = 3, .whole_periods = false}));
  // A bound that ends before the last start holds one period fewer.
  EXPECT_EQ(w.Window(27 * kS).periods, 1);
  EXPECT_EQ(w.ExpectedCompleteNs(), 36 * kS);
}

TEST(PeriodWatch, NoEstimateBeforeTwoStarts) {
  PeriodWatch w(0, 0, 3);
  EXPECT_EQ(w.ExpectedCompleteNs(), -1);
  w.AddCycleStart(5 * kS);
  EXPECT_EQ(w.ExpectedCompleteNs(), -1);
  EXPECT_EQ(w.Window(9 * kS), (MeasuredWindow{.from_ns = 0, .to_ns = 9 * kS, .min_periods = 3}));
}

TEST(PeriodWatch, ZeroPeriodsAskedNeverCompletesButCounts) {
  PeriodWatch w(0, 0, 0);
  for (int64_t t : {1, 2, 3}) w.AddCycleStart(t * kS);
  EXPECT_FALSE(w.complete());
  EXPECT_EQ(w.ExpectedCompleteNs(), -1);
  EXPECT_EQ(w.Window(4 * kS), (MeasuredWindow{.from_ns = 0, .to_ns = 4 * kS, .periods = 2}));
}

// The periods asked for are there, but the bound (max_duration) ran out
// before the floor (duration): the whole periods inside are the window.
TEST(PeriodWatch, ABoundShorterThanTheFloorStillGivesWholePeriods) {
  PeriodWatch w(0, 10 * kS, 3);
  for (int64_t t = 1; t <= 9; ++t) w.AddCycleStart(t * kS / 2);  // 0.5 .. 4.5 s
  EXPECT_FALSE(w.complete());
  EXPECT_EQ(
      w.Window(5 * kS),
      (MeasuredWindow{.from_ns = kS / 2, .to_ns = 9 * kS / 2, .periods = 8, .min_periods = 3, .whole_periods = true}));
  // Too few periods for that: the bound, as before.
  PeriodWatch few(0, 10 * kS, 3);
  for (int64_t t : {1, 2, 3}) few.AddCycleStart(t * kS);
  EXPECT_EQ(few.Window(5 * kS), (MeasuredWindow{.from_ns = 0, .to_ns = 5 * kS, .periods = 2, .min_periods = 3}));
}

}  // namespace
}  // namespace gcpilot
