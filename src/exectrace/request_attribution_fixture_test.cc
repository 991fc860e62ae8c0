// The request attribution on the real traces in text form under
// ../shared/testdata/gotrace-v2 (read in place through GCPILOT_SHARED_DIR),
// encoded to binary and decoded: the tasks counted from the text, every
// request's parts adding up to its wall time.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <set>
#include <string>

#include "base/read_file.h"
#include "exectrace/request_attribution.h"
#include "exectrace/request_tally.h"
#include "exectrace/trace_reader.h"
#include "exectrace/trace_text.h"

namespace gcpilot {
namespace {

// The tasks the text shows begun and ended (UserTaskBegin/UserTaskEnd task=N).
int64_t TasksBegunAndEnded(const std::string& text) {
  std::set<std::string> begun, ended;
  const std::regex line(R"((UserTaskBegin|UserTaskEnd) dt=\d+ task=(\d+))");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), line); it != std::sregex_iterator(); ++it) {
    ((*it)[1] == "UserTaskBegin" ? begun : ended).insert((*it)[2]);
  }
  int64_t n = 0;
  for (const std::string& id : ended) n += begun.count(id);
  return n;
}

void ExpectTasksAttributed(const std::string& name) {
  const std::string path = std::string(GCPILOT_SHARED_DIR) + "/testdata/gotrace-v2/" + name;
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " is absent (the shared fixtures are not checked out)";
  std::string text;
  ASSERT_TRUE(ReadFileToString(path, &text)) << path;
  // The fixture's trace section starts at its "Trace Go1.N" line.
  StatusOr<std::string> bytes = EncodeTraceText(text.substr(text.find("Trace Go1.")));
  if (!bytes.ok()) GTEST_SKIP() << "the v2 text form cannot be encoded in this build: " << bytes.status().message();
  RequestAttributor attributor({.slow_percentile = 90, .keep = 1000});
  TraceReadResult read;
  const Status st = ReadTrace(*bytes, {}, &attributor, &read);
  ASSERT_TRUE(st.ok()) << st.message();
  const TraceAttribution& a = attributor.result();
  EXPECT_EQ(a.unit, TraceAttribution::Unit::kTask);
  EXPECT_EQ(a.requests, TasksBegunAndEnded(text));
  ASSERT_EQ(static_cast<int64_t>(a.slowest.size()), a.requests);
  int64_t wall = 0;
  for (const TracedRequest& r : a.slowest) {
    EXPECT_EQ(RequestWallNs(r.split), r.span.duration_ns()) << r.name << " " << r.id;
    wall += r.span.duration_ns();
  }
  EXPECT_EQ(RequestWallNs(a.all_total), wall);
}

TEST(RequestAttributionFixtures, Annotations) { ExpectTasksAttributed("go122-annotations.test"); }
TEST(RequestAttributionFixtures, AnnotationsStress) { ExpectTasksAttributed("go122-annotations-stress.test"); }
// A task begun in one generation and ended in the next is one request.
TEST(RequestAttributionFixtures, TaskAcrossGenerations) { ExpectTasksAttributed("go122-task-across-generations.test"); }

}  // namespace
}  // namespace gcpilot
