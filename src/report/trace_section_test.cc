#include "report/trace_section.h"

#include <gtest/gtest.h>

#include <string>

#include "report/report_fixture.h"
#include "report/report_test_util.h"

namespace gcpilot {
namespace {

TEST(TraceSectionTest, AStudyWithoutTracesShowsNothing) {
  EXPECT_EQ(TraceSection(ReportFixture("single")), "");
  EXPECT_FALSE(Has(RenderReport(ReportFixture("single")), "GC in the execution trace"));
}

// The recommended setting's run has a trace: its MMU curve, the sentence,
// where the time went, who paid the assists and the slowest requests.
TEST(TraceSectionTest, TheRecommendedRunsTraceIsSummarized) {
  const std::string h = TraceSection(ReportFixture("full"));
  EXPECT_TRUE(Has(h, "<h2>GC in the execution trace</h2>"));
  EXPECT_EQ(Count(h, "<svg "), 1u);
  EXPECT_EQ(Count(h, "<polyline points=\"64.0,245.0 104.8,245.0 158.7,218.4 "), 1u);  // 13 windows, the 1st two 0
  EXPECT_TRUE(
      Has(h,
          "<p>Of the 24 requests above the P99 (4.1 ms), 29% overlapped a GC stop-the-world, 63% did mark-assist "
          "work, 79% waited runnable during mark.</p>"));
  EXPECT_TRUE(Has(h,
                  "captured 2.0 s of execution trace (go 1.19, 1.5 MiB): 3 GC cycles, 6 stop-the-world pauses (the "
                  "longest 0.310 ms), 176 mark assists (9.800 ms in all)."));
  EXPECT_TRUE(Has(h,
                  "<tr><td class=\"l\">in its own mark assists</td><td>12.000</td><td>9.9%</td><td>20.000</td>"
                  "<td>0.8%</td></tr>"));
  EXPECT_TRUE(Has(h, "<tr><td class=\"l\">main.(*server).handlePay</td><td>61</td><td>140</td><td>7.100</td></tr>"));
  EXPECT_EQ(Count(h, "<tr><td class=\"l\">pay</td>") + Count(h, "<tr><td class=\"l\">refund</td>"), 10u);
  EXPECT_TRUE(Has(h, "<th class=\"l\">slowest tasks</th>"));
}

TEST(TraceSectionTest, AFailedCaptureIsNoted) {
  const std::string h = TraceSection(ReportFixture("full"));
  EXPECT_TRUE(Has(h, "<h3>default: "));
  EXPECT_TRUE(Has(h,
                  ": trace: not captured: http://127.0.0.1:41234/debug/pprof/trace?seconds=2 answered 404: 404 page "
                  "not found.</p>"));
}

}  // namespace
}  // namespace gcpilot
