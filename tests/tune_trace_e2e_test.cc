// gcpilot tune --trace-seconds: the real binary, the real gateway, a real
// SQLite file. Each run captures an execution trace inside its measured
// window, stored with the run and shown in the report; a target without
// /debug/pprof/trace gets a note on each run and the runs still count.
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "base/read_file.h"
#include "run_gcpilot.h"
#include "runner/process.h"
#include "store/study_store.h"

namespace gcpilot {
namespace {

using testing::RunGcpilot;

std::string Fresh(const std::string& name) {
  const std::string dir = ::testing::TempDir() + "gcpilot_" + name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// GOGC=25 and the default on the gateway, a fixed 2-s window after 0.5 s
// of warm-up, `trace` asking for the trace (a [trace] table, or nothing
// when the flag asks).
std::string Study(const std::string& command, const std::string& trace) {
  return fmt::format(R"(
[target]
command = {}
ready = "http://127.0.0.1:{{port}}/healthz"
[load]
url = "http://127.0.0.1:{{port}}/"
requests = "{}/workloads/paygate/load.toml"
rate = "500"
duration = "2s"
warmup = "500ms"
min_gc_periods = 0
[[factor]]
name = "GOGC"
levels = ["25"]
[design]
type = "full"
repeats = 1
confirm = false
{}
)",
                     command, GCPILOT_SOURCE_DIR, trace);
}

struct Ran {
  std::string dir;
  StoredStudy study;
};

Ran RunStudy(const std::string& name, const std::string& spec_text, std::vector<std::string> more = {}) {
  const std::string dir = Fresh(name);
  const std::string spec = dir + "/study.toml", db = dir + "/study.db";
  std::ofstream(spec) << spec_text;
  std::vector<std::string> args = {"tune", "--spec", spec, "--db", db, "-q", "--report", dir + "/report.html"};
  args.insert(args.end(), more.begin(), more.end());
  const ExitInfo e = RunGcpilot(args, dir + "/out.txt");
  EXPECT_TRUE(e.Describe() == "exit 0" || e.Describe() == "exit 1")
      << e.Describe() << ReadFileOrEmpty(dir + "/out.txt.err");
  auto store = StudyStore::Open(db);
  EXPECT_TRUE(store.ok());
  auto study = store->Load(1);
  EXPECT_TRUE(study.ok());
  return {dir, study.ok() ? *study : StoredStudy{}};
}

const std::string kGateway = fmt::format(R"(["{}", "-addr", "127.0.0.1:{{port}}", "-live-mb", "16"])", GCPILOT_PAYGATE);

TEST(TuneTraceE2eTest, EachRunCapturesATraceInItsWindow) {
  const Ran ran = RunStudy("tune_trace", Study(kGateway, "[trace]\nseconds = 1"));
  ASSERT_EQ(ran.study.runs.size(), 2u);  // GOGC=25 and the default
  auto store = StudyStore::Open(ran.dir + "/study.db");
  ASSERT_TRUE(store.ok());
  for (const RunResult& r : ran.study.runs) {
    SCOPED_TRACE(fmt::format("run {} GOGC={}", r.seq + 1, r.env.at("GOGC")));
    ASSERT_EQ(r.status, RunStatus::kDone) << r.reason;
    auto data = store->LoadRunData(r.id);
    ASSERT_TRUE(data.ok()) << data.status().message();
    EXPECT_EQ(data->trace_note, "");
    ASSERT_TRUE(data->trace.has_value());
    const TraceSummary& t = *data->trace;
    EXPECT_EQ(t.version, "go 1.19");
    EXPECT_GT(t.bytes, 0);
    // 1 s of a 500/s load: every request a runtime/trace task named by its route.
    const TraceAttribution& a = t.attribution;
    EXPECT_EQ(a.unit, TraceAttribution::Unit::kTask);
    EXPECT_GT(a.requests, 300);
    EXPECT_LT(a.requests, 700);
    ASSERT_FALSE(a.slowest.empty());
    for (const TracedRequest& q : a.slowest) {
      EXPECT_TRUE(q.name == "pay" || q.name == "refund" || q.name == "order" || q.name == "healthz") << q.name;
    }
  }
}

TEST(TuneTraceE2eTest, TheFlagAsksForTheTraceAndTheReportShowsIt) {
  const Ran ran = RunStudy("tune_trace_flag", Study(kGateway, ""), {"--trace-seconds", "1"});
  ASSERT_EQ(ran.study.runs.size(), 2u);
  const std::string html = ReadFileOrEmpty(ran.dir + "/report.html");
  EXPECT_NE(html.find("<h2>GC in the execution trace</h2>"), std::string::npos);
  auto store = StudyStore::Open(ran.dir + "/study.db");
  ASSERT_TRUE(store.ok());
  auto data = store->LoadRunData(ran.study.runs[0].id);
  ASSERT_TRUE(data.ok());
  EXPECT_TRUE(data->trace.has_value()) << data->trace_note;
}

// A target that serves no /debug/pprof/trace: a note on every run, which
// still counts. Python's http.server answers / (a listing) and 404s the
// trace URL; it is no Go program, so it logs no GC either.
TEST(TuneTraceE2eTest, AFailedCaptureIsNotedAndTheRunStillCounts) {
  const std::string command = R"(["/usr/bin/python3", "-m", "http.server", "--bind", "127.0.0.1", "{port}"])";
  std::string spec = Study(command, "[trace]\nseconds = 1");
  const std::string ready = "ready = \"http://127.0.0.1:{port}/healthz\"";
  spec.replace(spec.find(ready), ready.size(), "ready = \"http://127.0.0.1:{port}/\"");
  const std::string requests = fmt::format("requests = \"{}/workloads/paygate/load.toml\"\n", GCPILOT_SOURCE_DIR);
  spec.replace(spec.find(requests), requests.size(), "");
  const Ran ran = RunStudy("tune_trace_failed", spec);
  ASSERT_EQ(ran.study.runs.size(), 2u);
  auto store = StudyStore::Open(ran.dir + "/study.db");
  ASSERT_TRUE(store.ok());
  for (const RunResult& r : ran.study.runs) {
    EXPECT_EQ(r.status, RunStatus::kDone) << r.reason;
    auto data = store->LoadRunData(r.id);
    ASSERT_TRUE(data.ok());
    EXPECT_FALSE(data->trace.has_value());
    EXPECT_TRUE(data->trace_note.starts_with("trace: not captured: http://127.0.0.1:")) << data->trace_note;
    EXPECT_TRUE(data->trace_note.ends_with("/debug/pprof/trace?seconds=1 answered 404")) << data->trace_note;
  }
}

}  // namespace
}  // namespace gcpilot
