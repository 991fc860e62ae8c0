#include "gclog/gctrace_overrun.h"

#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "gclog/gctrace_test_util.h"

namespace gcpilot {
namespace {

using testing::ParseAll;

struct Filtered {
  std::vector<GcCycle> cycles;
  int64_t dropped = 0;
  std::vector<GctraceLineError> errors;
};

Filtered Filter(const std::vector<GcCycle>& in) {
  Filtered out;
  GctraceOverrunFilter filter([&](const GcCycle& c) { out.cycles.push_back(c); });
  for (const GcCycle& c : in) filter.Add(c);
  filter.Finish();
  out.dropped = filter.dropped();
  out.errors = filter.first_errors();
  return out;
}

// The case: src-02.log with cycle 2's mark termination changed to
// 99999999999 ms (it printed "a GC cycle was running 1017708160% of the
// time"). Cycle 2 now ends 99999999995.866 ms after cycle 3's @0.018s.
TEST(GctraceOverrunTest, DropsTheCycleThatRunsPastTheNextOnesStart) {
  std::string log;
  READ_PUBLIC_FIXTURE_OR_SKIP("src-02.log", &log);
  const std::string from = "gc 2 @0.014s 6%: 0.066+0.80+0.003 ms clock";
  const size_t at = log.find(from);
  ASSERT_NE(at, std::string::npos);
  log.replace(at, from.size(), "gc 2 @0.014s 6%: 0.066+0.80+99999999999 ms clock");
  const testing::Parsed parsed = ParseAll(log);
  ASSERT_EQ(parsed.cycles.size(), 95u);
  const Filtered f = Filter(parsed.cycles);
  EXPECT_EQ(f.dropped, 1);
  ASSERT_EQ(f.cycles.size(), 94u);
  EXPECT_EQ(f.cycles[0].number, 1);
  EXPECT_EQ(f.cycles[1].number, 3);
  ASSERT_EQ(f.errors.size(), 1u);
  EXPECT_EQ(f.errors[0].line, 2);
  EXPECT_EQ(f.errors[0].column, 18);  // the first clock term
  EXPECT_EQ(f.errors[0].expected,
            "clock terms ending before the next cycle's @ (line 3); they end 99999999995.866 ms after it");

  GctraceParseStats stats = parsed.stats;
  GctraceOverrunFilter merge([](const GcCycle&) {});
  for (const GcCycle& c : parsed.cycles) merge.Add(c);
  merge.Finish();
  merge.MergeInto(&stats);
  EXPECT_EQ(stats.malformed, 1);
  ASSERT_EQ(stats.first_errors.size(), 1u);
  EXPECT_EQ(stats.first_errors[0].line, 2);
}

// No real log has such a cycle: every public fixture passes whole.
TEST(GctraceOverrunTest, KeepsEveryCycleOfThePublicFixtures) {
  for (const char* name :
       {"src-01.log", "src-02.log", "src-03.log", "src-04.log", "src-05.log", "src-06.log", "src-07.log"}) {
    std::string log;
    READ_PUBLIC_FIXTURE_OR_SKIP(name, &log);
    const testing::Parsed parsed = ParseAll(log);
    const Filtered f = Filter(parsed.cycles);
    EXPECT_EQ(f.dropped, 0) << name;
    EXPECT_EQ(f.cycles.size(), parsed.cycles.size()) << name;
  }
}

// `@` and the clock terms are printed truncated, so up to 1 ms past the
// next start is a real cycle; a microsecond more is not. Cycles of another
// run (the counter went back) are not compared.
TEST(GctraceOverrunTest, ToleratesThePrintingResolutionOnly) {
  auto line = [](int n, const char* at, const char* clock) {
    return fmt::format("gc {} @{}s 1%: {} ms clock, 0.1+0.1/0.1/0+0.1 ms cpu, 4->4->1 MB, 4 MB goal, 2 P\n", n, at,
                       clock);
  };
  const std::string log = line(1, "1.000", "0.5+10+0.5") +    // ends 1.011 s: 1 ms past gc 2, kept
                          line(2, "1.010", "0.5+10+0.501") +  // ends 1.021001 s: past gc 3 by 1.001 ms
                          line(3, "1.020", "0.1+0.1+0.1") +   //
                          line(1, "0.001", "0.1+0.1+0.1");    // a new run starts before gc 3 ended
  const Filtered f = Filter(ParseAll(log).cycles);
  EXPECT_EQ(f.dropped, 1);
  ASSERT_EQ(f.cycles.size(), 3u);
  EXPECT_EQ(f.cycles[0].origin.line, 1);
  EXPECT_EQ(f.cycles[1].origin.line, 3);
  EXPECT_EQ(f.cycles[2].origin.line, 4);
  ASSERT_EQ(f.errors.size(), 1u);
  EXPECT_EQ(f.errors[0].line, 2);
  EXPECT_EQ(f.errors[0].expected, "clock terms ending before the next cycle's @ (line 3); they end 1.001 ms after it");
}

}  // namespace
}  // namespace gcpilot
