#include "attribution/attribution_summary.h"

#include <gtest/gtest.h>

namespace gcpilot {
namespace {

RunAttribution Example() {
  RunAttribution a;
  a.window = {.from_ns = 0, .to_ns = 12'500'000'000, .periods = 4, .min_periods = 3, .whole_periods = true};
  a.alignment_error_ns = 1'250'000;
  a.phases[0] = {.requests = 12, .p50_ns = 3'000'000, .p99_ns = 9'000'000, .max_ns = 9'100'000, .mean_ns = 4'000'000};
  a.phases[1] = {.requests = 800, .p50_ns = 2'000'000, .p99_ns = 7'000'000, .max_ns = 8'000'000, .mean_ns = 2'500'000};
  a.phases[3] = {
      .requests = 36000, .p50_ns = 1'000'000, .p99_ns = 3'000'000, .max_ns = 5'000'000, .mean_ns = 1'100'000};
  a.recovery_ns = 38'000'000;
  a.slow = {.threshold_ns = 4'120'000, .slow = 300, .met_stw = 12, .due_in_mark = 213, .in_recovery = 0, .no_gc = 75};
  a.cycles = {{.cycle = 7,
               .start_ns = 0,
               .requests = 400,
               .mean_ns = 2'400'000,
               .excess_ns = 1'300'000,
               .recovery_ns = 30'000'000},
              {.cycle = 8,
               .start_ns = 3'000'000'000,
               .requests = 412,
               .mean_ns = 3'000'000,
               .excess_ns = 1'900'000,
               .recovery_ns = 46'000'000}};
  return a;
}

TEST(AttributionSummary, TheSlowRequestSharesAreTheIssuesSentenceAndAddUpTo100) {
  SlowRequests s{4'100'000, 312, 12, 222, 0, 78};
  // 3.85% 71.15% 0% 25%: whole percents 3 71 0 25, the last point to the largest remainder.
  EXPECT_EQ(SlowShares(s), (std::array<int64_t, 4>{4, 71, 0, 25}));
  EXPECT_EQ(SlowRequestsSentence(s),
            "Of the 312 requests above the P99 (4.100 ms), 71% were due during concurrent mark, 4% met a "
            "stop-the-world pause, 0% were due in a recovery, 25% had no GC nearby.");
  EXPECT_EQ(SlowShares({1, 3, 1, 1, 1, 0}), (std::array<int64_t, 4>{34, 33, 33, 0}));
  EXPECT_EQ(SlowRequestsSentence({2'000'000, 0, 0, 0, 0, 0}), "No request was above the P99 (2.000 ms).");
}

TEST(AttributionSummary, TheGcExcessIsTheMedianAndTheWorstOfTheCyclesWithRequests) {
  const std::vector<CycleExcess> cycles = {{11, 0, 40, 5'000'000, 3'000'000, 0},
                                           {12, 0, 40, 1'000'000, -1'000'000, 0},
                                           {13, 0, 0, 0, 0, 0},  // no request fell due in it
                                           {14, 0, 40, 4'000'000, 2'000'000, 0}};
  EXPECT_EQ(CycleExcessText(cycles), "median 2.000 ms, worst 3.000 ms (cycle 11), over 3 cycles");
  EXPECT_EQ(CycleExcessText({}), "");
}

TEST(AttributionSummary, SaysWhichPhaseTheSlowRequestsMet) {
  EXPECT_EQ(SlowRequestsSentence(Example().slow),
            "Of the 300 requests above the P99 (4.120 ms), 71% were due during concurrent mark, 4% met a "
            "stop-the-world pause, 0% were due in a recovery, 25% had no GC nearby.");
}

TEST(AttributionSummary, TableAndLines) {
  EXPECT_EQ(AttributionText(Example()),
            "  window 12.5 s, 4 whole GC periods (3 asked); clocks aligned within 1.250 ms (a request that close to a "
            "phase's edge, or to a pause shorter than that, may be placed on the wrong side of it)\n"
            "  due during        requests    p50 ms    p99 ms    max ms   mean ms\n"
            "  STW                     12     3.000     9.000     9.100     4.000\n"
            "  concurrent mark        800     2.000     7.000     8.000     2.500\n"
            "  recovery                 0         -         -         -         -\n"
            "  outside GC           36000     1.000     3.000     5.000     1.100\n"
            "  Of the 300 requests above the P99 (4.120 ms), 71% were due during concurrent mark, 4% met a "
            "stop-the-world pause, 0% were due in a recovery, 25% had no GC nearby.\n"
            "  recovery after a cycle: 38.000 ms (median); GC excess per cycle: median 1.300 ms, worst 1.900 ms "
            "(cycle 8), over 2 cycles\n");
}

TEST(AttributionSummary, UnalignedSaysSo) {
  RunAttribution a;
  EXPECT_EQ(AttributionText(a),
            "  no attribution: the requests were not joined to the GC cycles (the clocks could not be aligned, or the "
            "study was recorded before gcpilot kept it)\n");
  EXPECT_TRUE(AttributionJson(a)["alignment_error_ns"].is_null());
}

TEST(AttributionSummary, JsonKeepsEveryFigure) {
  const auto j = AttributionJson(Example());
  EXPECT_EQ(j["phases"]["mark"]["requests"], 800);
  EXPECT_EQ(j["slow"]["due_in_mark"], 213);
  EXPECT_EQ(j["window"]["whole_periods"], true);
  EXPECT_EQ(j["cycles"].size(), 2u);
  EXPECT_EQ(j["cycles"][1]["excess_ns"], 1'900'000);
  EXPECT_EQ(j["recovery_ns"], 38'000'000);
}

}  // namespace
}  // namespace gcpilot
