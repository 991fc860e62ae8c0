// `gcpilot load --requests-csv`: the real binary against a real HTTP server
// on 127.0.0.1 (loadgen/test_server.h); the CSV must hold one parseable row
// per measured request and agree with the run's own JSON counts.
#include <climits>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "base/read_file.h"
#include "loadgen/test_server.h"
#include "run_gcpilot.h"
#include "runner/process.h"

namespace gcpilot {
namespace {

using namespace std::chrono_literals;

std::vector<std::string> SplitCsvLine(const std::string& line) {
  std::vector<std::string> fields(1);
  for (char c : line) {
    if (c == ',') {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  return fields;
}

// A whole decimal number, or nullopt for an empty field; a field that is
// neither fails the test.
std::optional<int64_t> Number(const std::string& field, const std::string& where) {
  if (field.empty()) return std::nullopt;
  size_t used = 0;
  const int64_t v = std::stoll(field, &used);
  EXPECT_EQ(used, field.size()) << where << ": \"" << field << "\"";
  return v;
}

struct Row {
  int64_t due = 0;
  std::optional<int64_t> sent, done, corrected, uncorrected;
  std::string kind, outcome;
  std::optional<int64_t> status;
};

Row ParseRow(const std::string& line, size_t n) {
  const std::string where = "row " + std::to_string(n) + " \"" + line + "\"";
  const std::vector<std::string> f = SplitCsvLine(line);
  Row r;
  EXPECT_EQ(f.size(), 8u) << where;
  if (f.size() != 8) return r;
  const std::optional<int64_t> due = Number(f[0], where);
  EXPECT_TRUE(due.has_value()) << where << ": every request has a due time";
  r.due = due.value_or(-1);
  r.sent = Number(f[1], where);
  r.done = Number(f[2], where);
  r.kind = f[3];
  r.status = Number(f[4], where);
  r.outcome = f[5];
  r.corrected = Number(f[6], where);
  r.uncorrected = Number(f[7], where);
  return r;
}

TEST(LoadE2eTest, RequestsCsvHasOneParseableRowPerMeasuredRequest) {
  TestServer server;
  const std::string dir = ::testing::TempDir() + "gcpilot_load_requests_csv";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string mix = dir + "/mix.toml", csv = dir + "/requests.csv", out = dir + "/out.json";
  std::ofstream(mix) << "[[request]]\nname = \"ok\"\nweight = 3\npath = \"/ok\"\n"
                        "[[request]]\nname = \"unavailable\"\npath = \"/status/503\"\n";
  const ExitInfo done = testing::RunGcpilot(
      {"load", "http://127.0.0.1:" + std::to_string(server.port()) + "/", "--requests", mix, "--rate", "200", "-d",
       "1s", "--warmup", "200ms", "-c", "4", "--requests-csv", csv, "--json", "-q"},
      out);
  ASSERT_EQ(done.Describe(), "exit 0") << ReadFileOrEmpty(out + ".err");
  const auto j = nlohmann::json::parse(ReadFileOrEmpty(out));
  const auto& m = j["measured"];

  std::istringstream lines(ReadFileOrEmpty(csv));
  std::string line;
  ASSERT_TRUE(std::getline(lines, line));
  EXPECT_EQ(line,
            "due_ns_from_measured_start,sent_ns_from_measured_start,done_ns_from_measured_start,"
            "kind,status,outcome,corrected_ns,uncorrected_ns");
  std::map<std::string, int64_t> outcomes, answered_by_kind;
  int64_t rows = 0, last_due = 0;
  const std::set<std::string> known = {"ok", "non_2xx", "timeout", "reset", "closed", "malformed", "aborted"};
  while (std::getline(lines, line)) {
    const Row r = ParseRow(line, ++rows);
    ASSERT_FALSE(HasFailure());
    // Relative to the measured start: warm-up requests would be negative.
    EXPECT_GE(r.due, last_due) << line;
    last_due = r.due;
    EXPECT_GE(r.sent.value_or(r.due), r.due) << line;
    EXPECT_GE(r.done.value_or(INT64_MAX), r.sent.value_or(r.due)) << line;
    const std::optional<int64_t> corrected = r.done ? std::optional(*r.done - r.due) : std::nullopt;
    const std::optional<int64_t> uncorrected = r.done && r.sent ? std::optional(*r.done - *r.sent) : std::nullopt;
    EXPECT_EQ(r.corrected, corrected) << line;
    EXPECT_EQ(r.uncorrected, uncorrected) << line;
    EXPECT_TRUE(known.count(r.outcome)) << line;
    ++outcomes[r.outcome];
    if (r.status) ++answered_by_kind[r.kind];
  }
  EXPECT_EQ(rows, m["due"].get<int64_t>());
  EXPECT_EQ(rows, 200);  // 1 s at 200/s, exactly; the 40 warm-up requests are not rows
  // Each outcome is counted as the run's JSON counts it: request errors go
  // by the same names.
  EXPECT_EQ(outcomes["ok"], m["ok_2xx"].get<int64_t>());
  for (const std::string& o : known) {
    if (o != "ok") {
      EXPECT_EQ(outcomes[o], m["errors"][o].get<int64_t>()) << o;
    }
  }
  EXPECT_GT(outcomes["non_2xx"], 0);  // the 503 kind was drawn (weights 3 : 1)
  for (const auto& k : j["kinds"]) {
    EXPECT_EQ(answered_by_kind[k["name"]], k["responses"].get<int64_t>()) << k["name"];
  }
}

// Every answer an error: the run measured no working service, so it exits
// 1 whichever error it was, and says so on stderr.
TEST(LoadE2eTest, EveryAnswerNon2xxExitsOne) {
  TestServer server;
  const std::string out = ::testing::TempDir() + "gcpilot_load_all_503.json";
  const std::string target = "127.0.0.1:" + std::to_string(server.port());
  const ExitInfo done = testing::RunGcpilot(
      {"load", "http://" + target + "/status/503", "--rate", "50", "-d", "1s", "-c", "2", "--json", "-q"}, out);
  EXPECT_EQ(done.Describe(), "exit 1");
  EXPECT_EQ(ReadFileOrEmpty(out + ".err"),
            "gcpilot load: " + target + ": no request got a 2xx answer (50 errors; see errors above)\n");
  const auto j = nlohmann::json::parse(ReadFileOrEmpty(out));
  EXPECT_EQ(j["measured"]["responses"], 50);
  EXPECT_EQ(j["measured"]["errors"]["non_2xx"], 50);
  EXPECT_EQ(j["first_malformed"], nullptr);
}

// Every answer malformed: exit 1; the table says how many were sent and
// shows the first answer, escaped, with the byte where parsing stopped.
TEST(LoadE2eTest, EveryAnswerMalformedExitsOneAndShowsTheFirst) {
  TestServer server;
  const std::string out = ::testing::TempDir() + "gcpilot_load_all_garbage.txt";
  const std::string target = "127.0.0.1:" + std::to_string(server.port());
  const ExitInfo done =
      testing::RunGcpilot({"load", "http://" + target + "/garbage", "--rate", "40", "-d", "1s", "-c", "1", "-q"}, out);
  EXPECT_EQ(done.Describe(), "exit 1");
  EXPECT_EQ(ReadFileOrEmpty(out + ".err"),
            "gcpilot load: " + target + ": no request got a 2xx answer (40 errors; see errors above)\n");
  const std::string table = ReadFileOrEmpty(out);
  EXPECT_EQ(table.rfind("load: " + target + ", 40/s for 1s, 1 connection (max 512)\n", 0), 0u) << table;
  EXPECT_NE(table.find("  errors: malformed 40\n"
                       "  first malformed answer: byte 0: not an HTTP/1.x status line: \"BLAH BLAH\"\n"
                       "    \"BLAH BLAH\\r\\n\\r\\n\" (its first 13 bytes)\n"),
            std::string::npos)
      << table;
  EXPECT_NE(table.find("  (no complete answer to any of the 40 requests sent: no latency to show)\n"),
            std::string::npos)
      << table;
  // JSON carries the same excerpt.
  const std::string json_out = out + ".json";
  EXPECT_EQ(
      testing::RunGcpilot(
          {"load", "http://" + target + "/garbage", "--rate", "40", "-d", "1s", "-c", "1", "--json", "-q"}, json_out)
          .Describe(),
      "exit 1");
  const auto j = nlohmann::json::parse(ReadFileOrEmpty(json_out));
  EXPECT_EQ(j["first_malformed"]["error"], "byte 0: not an HTTP/1.x status line: \"BLAH BLAH\"");
  EXPECT_EQ(j["first_malformed"]["excerpt"], "\"BLAH BLAH\\r\\n\\r\\n\"");
  EXPECT_EQ(j["measured"]["sent"], 40);
}

}  // namespace
}  // namespace gcpilot
