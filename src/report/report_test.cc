#include "report/report.h"

#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>

#include "base/read_file.h"
#include "report/report_fixture.h"
#include "report/svg.h"

namespace gcpilot {
namespace {

// Golden files: testdata/golden/report_<kind>.html. Regenerate with
// GCPILOT_REGEN=1 build/src/report/report_test.
void ExpectGolden(const std::string& kind) {
  const std::string html = RenderReport(ReportFixture(kind));
  const std::string path = std::string(GCPILOT_SOURCE_DIR) + "/testdata/golden/report_" + kind + ".html";
  if (std::getenv("GCPILOT_REGEN")) std::ofstream(path, std::ios::binary) << html;
  std::string want;
  ASSERT_TRUE(ReadFileToString(path, &want)) << path;
  EXPECT_TRUE(html == want) << "report_" << kind << ".html differs from its golden (GCPILOT_REGEN=1 to update)";
}

TEST(ReportTest, GoldenFullStudy) { ExpectGolden("full"); }
TEST(ReportTest, GoldenSingleFactor) { ExpectGolden("single"); }
TEST(ReportTest, GoldenFailedRuns) { ExpectGolden("failed"); }

TEST(ReportTest, FullStudyHasEverySection) {
  const ReportInput in = ReportFixture("full");
  const std::string html = RenderReport(in);
  auto count = [&](const std::string& needle) {
    size_t n = 0;
    for (size_t at = html.find(needle); at != std::string::npos; at = html.find(needle, at + 1)) ++n;
    return n;
  };
  // 3 heat maps + 3 main effects + 1 percentile + 2 x 2 GC timelines + 1 Pareto.
  EXPECT_EQ(count("<svg "), 12u);
  EXPECT_EQ(count("<script"), 0u);
  EXPECT_EQ(count("http://"), count("http://www.w3.org/2000/svg"));  // nothing fetched
  // Best: GOGC=400 GOMEMLIMIT=off GOMAXPROCS=4 at seq 6 and 16: 0.56 and
  // 0.76 ms; default at seq 9 and 19: 4.09 and 4.29 ms; 0.66 / 4.19 = 0.16.
  EXPECT_NE(html.find("<pre>GOGC=400\nGOMEMLIMIT=off\nGOMAXPROCS=4\n</pre>"), std::string::npos);
  EXPECT_NE(html.find("The recommendation is <b>0.16x</b> the default's p99"), std::string::npos);
  EXPECT_EQ(count("<tr><td>"), in.runs.size());  // one table row per run
}

TEST(ReportTest, SingleFactorAndFailedRunsStillRender) {
  const std::string single = RenderReport(ReportFixture("single"));
  EXPECT_EQ(single.find("heat maps"), std::string::npos);  // no factor pairs
  EXPECT_NE(single.find("Main effects"), std::string::npos);
  const std::string failed = RenderReport(ReportFixture("failed"));
  EXPECT_NE(failed.find("No recommendation"), std::string::npos);
  EXPECT_NE(failed.find("<tr class=\"failed\">"), std::string::npos);
  EXPECT_NE(failed.find("likely the out-of-memory killer"), std::string::npos);
}

TEST(SvgTest, NiceTicksAndEscaping) {
  EXPECT_EQ(NiceTicks(0, 10), (std::vector<double>{0, 2, 4, 6, 8, 10}));
  const auto t = NiceTicks(0.3, 0.95);  // step 0.2: the first of 1/2/5 x 0.1 over 0.65/6
  ASSERT_EQ(t.size(), 3u);
  for (size_t i = 0; i < 3; ++i) EXPECT_NEAR(t[i], 0.4 + 0.2 * i, 1e-12);
  EXPECT_EQ(XmlEscape("a<b & \"c\">"), "a&lt;b &amp; &quot;c&quot;&gt;");
}

}  // namespace
}  // namespace gcpilot
