// The request attribution on real traces of the bundled gateway
// (testdata/exectrace/README.md: every request a runtime/trace task named
// after its route). The tasks begun and ended inside each trace, by name,
// as Go's own readers list them (Go 1.19's `go tool trace -d`, Go 1.26's
// `go tool trace -d=parsed`: UserTaskCreate/TaskBegin and
// UserTaskEnd/TaskEnd matched by task id), and every request's parts
// adding up to its wall time.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "base/read_file.h"
#include "exectrace/request_attribution.h"
#include "exectrace/trace_reader.h"

namespace gcpilot {
namespace {

struct Expected {
  const char* fixture;
  std::map<std::string, int64_t> tasks;  // by name
};

class GatewayTraceTest : public ::testing::TestWithParam<Expected> {};

TEST_P(GatewayTraceTest, EveryTaskIsARequestSplitWhole) {
  const Expected& want = GetParam();
  std::string bytes;
  const std::string path = std::string(GCPILOT_SOURCE_DIR) + "/testdata/exectrace/" + want.fixture;
  ASSERT_TRUE(ReadFileToString(path, &bytes)) << path;
  RequestAttributor attributor({.slow_percentile = 99, .keep = 100'000});
  TraceReadResult read;
  const Status st = ReadTrace(bytes, {}, &attributor, &read);
  ASSERT_TRUE(st.ok()) << st.message();
  const TraceAttribution& a = attributor.result();
  EXPECT_EQ(a.unit, TraceAttribution::Unit::kTask);
  std::map<std::string, int64_t> by_name;
  int64_t wall = 0;
  for (const TracedRequest& r : a.slowest) {
    ++by_name[r.name];
    EXPECT_EQ(RequestWallNs(r.split), r.span.duration_ns()) << r.name << " " << r.id;
    EXPECT_LE(r.split.runnable_in_mark_ns, r.split.runnable_ns);
    wall += r.span.duration_ns();
  }
  EXPECT_EQ(by_name, want.tasks);
  int64_t all = 0;
  for (const auto& [name, n] : want.tasks) all += n;
  EXPECT_EQ(a.requests, all);
  EXPECT_EQ(RequestWallNs(a.all_total), wall);
  // The slow ones: those above the P99, about 1% of them.
  EXPECT_GE(a.slow, 1);
  EXPECT_LE(a.slow, a.requests / 100 + 1);
  for (const TracedRequest& r : a.slowest) {
    if (&r - a.slowest.data() < a.slow) EXPECT_GT(r.span.duration_ns(), a.threshold_ns);
    if (&r - a.slowest.data() >= a.slow) EXPECT_LE(r.span.duration_ns(), a.threshold_ns);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, GatewayTraceTest,
    ::testing::Values(Expected{"go119-paygate-1s.trace", {{"order", 431}, {"refund", 144}, {"pay", 862}}},
                      Expected{"go119-paygate-300ms.trace", {{"order", 200}, {"refund", 82}, {"pay", 416}}},
                      Expected{"go126-paygate-1s.trace", {{"order", 587}, {"refund", 210}, {"pay", 1226}}},
                      Expected{"go126-paygate-300ms.trace", {{"pay", 375}, {"refund", 59}, {"order", 161}}},
                      Expected{"go126-paygate-gomaxprocs1-1s.trace", {{"order", 584}, {"pay", 1241}, {"refund", 193}}},
                      // 18 tasks end here that began before the trace: not requests.
                      Expected{"go126-paygate-live32-1s.trace", {{"pay", 1336}, {"order", 651}, {"refund", 226}}}),
    [](const ::testing::TestParamInfo<Expected>& info) {
      std::string name = info.param.fixture;
      name = name.substr(0, name.find(".trace"));
      for (char& c : name) c = std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
      return name;
    });

}  // namespace
}  // namespace gcpilot
