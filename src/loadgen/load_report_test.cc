// Renderings of a load run that do not need a server: a hand-made result.
#include "loadgen/load_report.h"

#include <sstream>

#include <gtest/gtest.h>

namespace gcpilot {
namespace {

TEST(LoadReportTest, RequestsCsvIsRelativeToTheMeasuredStartWithEmptyFieldsForWhatNeverHappened) {
  LoadResult r;
  r.measured_start_ns = 5'000'000'000;
  r.requests.kinds = {"pay", "odd, \"quoted\" kind"};
  const int64_t t0 = r.measured_start_ns, never = RequestRecord::kNever;
  r.requests.records = {
      {t0, t0 + 10, t0 + 1'010, 0, 201, RequestOutcome::kOk},
      {t0 + 100, t0 + 150, t0 + 900, 1, 503, RequestOutcome::kNon2xx},
      {t0 + 200, t0 + 250, t0 + 400, 0, 0, RequestOutcome::kReset},
      {t0 + 300, never, t0 + 5'000'000'300, 1, 0, RequestOutcome::kTimeout},
      {t0 + 400, never, never, 0, 0, RequestOutcome::kAborted},
  };
  std::ostringstream out;
  WriteLoadRequestsCsv(r, out);
  EXPECT_EQ(out.str(),
            "due_ns_from_measured_start,sent_ns_from_measured_start,done_ns_from_measured_start,"
            "kind,status,outcome,corrected_ns,uncorrected_ns\n"
            "0,10,1010,pay,201,ok,1010,1000\n"
            "100,150,900,\"odd, \"\"quoted\"\" kind\",503,non_2xx,800,750\n"
            "200,250,400,pay,,reset,200,150\n"
            "300,,5000000300,\"odd, \"\"quoted\"\" kind\",,timeout,5000000000,\n"
            "400,,,pay,,aborted,,\n");
}

TEST(LoadReportTest, RequestsCsvOfAnEmptyLogIsItsHeader) {
  std::ostringstream out;
  WriteLoadRequestsCsv(LoadResult{}, out);
  EXPECT_EQ(out.str(),
            "due_ns_from_measured_start,sent_ns_from_measured_start,done_ns_from_measured_start,"
            "kind,status,outcome,corrected_ns,uncorrected_ns\n");
}

}  // namespace
}  // namespace gcpilot
