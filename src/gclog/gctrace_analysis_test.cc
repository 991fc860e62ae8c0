#include "gclog/gctrace_analysis.h"

#include <gtest/gtest.h>

#include "gclog/gctrace_test_util.h"

namespace gcpilot {
namespace {

GctraceSummary Summarize(std::string_view log) {
  GctraceAnalyzer a;
  GctraceReader r({}, [&](const GcCycle& c) { a.Add(c); });
  EXPECT_TRUE(r.Feed(log).ok());
  EXPECT_TRUE(r.Finish().ok());
  return a.Summarize(r.stats());
}

bool HasFinding(const GctraceSummary& s, const std::string& code,
                Severity sev) {
  for (const Finding& f : s.findings) {
    if (f.code == code && f.severity == sev) return true;
  }
  return false;
}

// Expected values below were computed independently of this code (a regex
// pass over the same file in Python with exact fractions).
TEST(GctraceAnalysisTest, Go15PublicLog) {
  std::string log;
  READ_PUBLIC_FIXTURE_OR_SKIP("src-01.log", &log);
  const GctraceSummary s = Summarize(log);
  EXPECT_EQ(s.cycles, 130);
  EXPECT_EQ(s.segments, 1);
  EXPECT_EQ(s.span_ns, 11'377'000'000);
  EXPECT_NEAR(s.cycles_per_sec, 11.338665729102575, 1e-9);
  EXPECT_EQ(s.stw_ns.p50, 651'000);
  EXPECT_EQ(s.stw_ns.p99, 4'800'000);
  EXPECT_EQ(s.stw_ns.max, 4'954'000);
  EXPECT_EQ(s.heap_live_mb.p50, 10);
  EXPECT_EQ(s.heap_peak_mb, 131);
  EXPECT_EQ(s.overshoot_cycles, 45);
  EXPECT_EQ(s.overshoot_max_mb, 12);
  EXPECT_EQ(s.back_to_back_cycles, 45);
  EXPECT_NEAR(s.gc_cpu_share, 0.10315907093258328, 1e-9);
  EXPECT_NEAR(s.gc_wall_share, 0.26554979344291113, 1e-9);
  EXPECT_NEAR(s.assist_share, 0.3164, 1e-4);
  EXPECT_EQ(s.cpu_percent_last, 10);
  EXPECT_EQ(s.procs_seen, std::set<int32_t>{4});
  EXPECT_TRUE(HasFinding(s, "assist-heavy", Severity::kWarning));
  EXPECT_TRUE(HasFinding(s, "frequent", Severity::kWarning));
  EXPECT_EQ(s.findings.front().severity, Severity::kWarning);
}

TEST(GctraceAnalysisTest, Go118PublicLogWithRestarts) {
  std::string log;
  READ_PUBLIC_FIXTURE_OR_SKIP("src-02.log", &log);
  const GctraceSummary s = Summarize(log);
  EXPECT_EQ(s.cycles, 95);
  EXPECT_EQ(s.segments, 4);  // the counter restarts three times
  EXPECT_EQ(s.missing_cycles, 0);
  EXPECT_EQ(s.span_ns, 9'826'000'000);
  EXPECT_NEAR(s.cycles_per_sec, 9.261143903928353, 1e-9);
  EXPECT_EQ(s.stw_ns.p50, 48'000);
  EXPECT_EQ(s.stw_ns.p99, 1'355'000);
  EXPECT_EQ(s.heap_live_mb.p50, 102);
  EXPECT_EQ(s.heap_peak_mb, 235);
  EXPECT_EQ(s.overshoot_cycles, 10);
  EXPECT_EQ(s.back_to_back_cycles, 5);
  EXPECT_NEAR(s.gc_cpu_share, 0.1419049715041726, 1e-9);
  EXPECT_NEAR(s.gc_wall_share, 0.38643110116018725, 1e-9);
  EXPECT_NEAR(s.assist_share, 0.3546, 1e-4);
  EXPECT_EQ(s.stacks_mb_max, 0);
  EXPECT_EQ(s.formats_seen,
            std::set<GctraceFormat>{GctraceFormat::kStacksGlobals});
}

// A synthetic log in the shape a GOMEMLIMIT death spiral prints: live 290
// MB, goal 300 MB, each cycle 80 ms of mark starting 20 ms after the last.
TEST(GctraceAnalysisTest, DetectsLimitBoundBackToBack) {
  std::string log;
  for (int i = 1; i <= 20; ++i) {
    log += "gc " + std::to_string(i) + " @" + std::to_string(i / 10) + "." +
           std::to_string(i % 10) +
           "00s 45%: 0.050+80+0.10 ms clock, 0.10+60/40/0+0.20 ms cpu, "
           "300->305->290 MB, 300 MB goal, 0 MB stacks, 0 MB globals, 2 P\n";
  }
  const GctraceSummary s = Summarize(log);
  EXPECT_EQ(s.cycles, 20);
  EXPECT_EQ(s.span_ns, 1'900'000'000);
  EXPECT_EQ(s.back_to_back_cycles, 19);
  // 19 intervals of 100 ms, each with 80.15 ms of cycle.
  EXPECT_NEAR(s.gc_wall_share, 19 * 80.15 / 1900.0, 1e-12);
  // 19 cycles x 100.3 ms GC CPU over 2 P x 1.9 s.
  EXPECT_NEAR(s.gc_cpu_share, 19 * 100.3 / 3800.0, 1e-12);
  EXPECT_DOUBLE_EQ(s.goal_over_live_p50, 1.034);
  EXPECT_EQ(s.overshoot_cycles, 20);
  EXPECT_TRUE(HasFinding(s, "back-to-back", Severity::kCritical));
  EXPECT_TRUE(HasFinding(s, "limit-bound", Severity::kCritical));
  EXPECT_TRUE(HasFinding(s, "gc-cpu", Severity::kCritical));
  EXPECT_TRUE(HasFinding(s, "assist-heavy", Severity::kCritical));
  EXPECT_EQ(s.findings.front().code, "back-to-back");
}

TEST(GctraceAnalysisTest, GapsInNumbersAreMissingCycles) {
  const std::string tail =
      "s 1%: 0.010+1.0+0.020 ms clock, 0.020+0/1.0/0+0.040 ms cpu, 8->9->4 "
      "MB, 8 MB goal, 2 P\n";
  const GctraceSummary s =
      Summarize("gc 5 @1.000" + tail + "gc 9 @2.000" + tail);
  EXPECT_EQ(s.cycles, 2);
  EXPECT_EQ(s.missing_cycles, 3);
  EXPECT_EQ(s.segments, 1);
  EXPECT_NEAR(s.assist_share, 0.0, 1e-12);
  EXPECT_FALSE(HasFinding(s, "assist-heavy", Severity::kWarning));
  EXPECT_TRUE(HasFinding(s, "few-cycles", Severity::kInfo));
  EXPECT_TRUE(HasFinding(s, "stw", Severity::kInfo));
}

TEST(GctraceAnalysisTest, EmptyInput) {
  const GctraceSummary s = Summarize("hello\n");
  EXPECT_EQ(s.cycles, 0);
  EXPECT_EQ(s.gc_cpu_share, -1);
  ASSERT_EQ(s.findings.size(), 1u);
  EXPECT_EQ(s.findings[0].code, "no-cycles");
}

}  // namespace
}  // namespace gcpilot
