// gcpilot tune measures each run over whole GC periods: the real binary,
// the real gateway, a real SQLite file. The stored window starts and ends
// at stored cycle starts; a setting without cycles is measured over its
// whole bound; a target whose gctrace lines arrive late and cut mid-line
// is measured the same way.
#include <algorithm>
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
constexpr int64_t kSec = 1'000'000'000;

std::string Fresh(const std::string& name) {
  const std::string dir = ::testing::TempDir() + "gcpilot_" + name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// A study of the real gateway under the load mix, GOGC at `levels` plus
// the default, one run each; `command` is the target's argv before the
// gateway's own (a wrapper), "" for none.
std::string Study(const std::string& levels, const std::string& wrapper) {
  return fmt::format(R"(
[target]
command = [{}"{}", "-addr", "127.0.0.1:{{port}}", "-live-mb", "16"]
ready = "http://127.0.0.1:{{port}}/healthz"
[load]
url = "http://127.0.0.1:{{port}}/"
requests = "{}/workloads/paygate/load.toml"
rate = "500"
duration = "1s"
warmup = "500ms"
min_gc_periods = 3
max_duration = "40s"
[[factor]]
name = "GOGC"
levels = [{}]
[design]
type = "full"
repeats = 1
)",
                     wrapper.empty() ? "" : "\"" + wrapper + "\", ", GCPILOT_PAYGATE, GCPILOT_SOURCE_DIR, levels);
}

StoredStudy RunStudy(const std::string& name, const std::string& spec_text, std::vector<std::string> more = {}) {
  const std::string dir = Fresh(name);
  const std::string spec = dir + "/study.toml", db = dir + "/study.db";
  std::ofstream(spec) << spec_text;
  std::vector<std::string> args = {"tune", "--spec", spec, "--db", db, "--json", "-q", "--no-report"};
  args.insert(args.end(), more.begin(), more.end());
  const ExitInfo e = RunGcpilot(args, dir + "/out.json");
  // 0 with a recommendation, 1 without: either way every run is stored.
  EXPECT_TRUE(e.Describe() == "exit 0" || e.Describe() == "exit 1")
      << e.Describe() << ReadFileOrEmpty(dir + "/out.json.err");
  auto store = StudyStore::Open(db);
  EXPECT_TRUE(store.ok());
  auto study = store->Load(1);
  EXPECT_TRUE(study.ok());
  return study.ok() ? *study : StoredStudy{};
}

// The starts of the run's stored cycles, on the load clock.
std::vector<int64_t> LoadClockStarts(const GcTimeline& gc) {
  std::vector<int64_t> starts;
  for (const GcCycle& c : gc.cycles) starts.push_back(gc.ToLoadClock(c.start_ns));
  return starts;
}

// Requests due in [from, to) that got an answer.
int64_t AnsweredIn(const RequestLog& log, int64_t from, int64_t to) {
  return std::count_if(log.records.begin(), log.records.end(),
                       [&](const RequestRecord& r) { return r.due_ns >= from && r.due_ns < to && r.http_status != 0; });
}

// The window the stored cycles make: from the first cycle start at or
// after the warm-up's end (the first measured request's due time) to the
// first start after which 3 periods and 1 s have passed; the run's own
// figures must be those of exactly that window.
void ExpectFiguresOfTheCyclesWindow(const RunResult& r, const RunData& data) {
  ASSERT_FALSE(data.requests.records.empty());
  const std::vector<int64_t> starts = LoadClockStarts(data.gc);
  const auto first = std::lower_bound(starts.begin(), starts.end(), data.requests.records.front().due_ns);
  ASSERT_GE(starts.end() - first, 4) << "fewer than 3 periods after the warm-up";
  auto last = first + 3;
  while (last != starts.end() && *last - *first < 1 * kSec) ++last;
  ASSERT_NE(last, starts.end());
  EXPECT_EQ(r.metrics.responses, AnsweredIn(data.requests, *first, *last));
  EXPECT_EQ(r.metrics.gc_cycles, last - first);  // the cycles started in [first, last)
  // The load went on until the completing cycle's line was read.
  EXPECT_GT(data.requests.records.back().due_ns, *last);
}

// A run whose window is whole periods: it starts and ends at stored cycle
// starts, holds the periods it says (>= 3) and lasts >= the duration.
void ExpectWholePeriods(StudyStore& store, const RunResult& r) {
  SCOPED_TRACE(fmt::format("run {} GOGC={}", r.seq + 1, r.env.at("GOGC")));
  ASSERT_EQ(r.status, RunStatus::kDone) << r.reason;
  auto data = store.LoadRunData(r.id);
  ASSERT_TRUE(data.ok()) << data.status().message();
  ExpectFiguresOfTheCyclesWindow(r, *data);
  // The stored window (RunData::attribution, RunMetrics' window fields).
  const MeasuredWindow& w = data->attribution.window;
  EXPECT_TRUE(w.whole_periods);
  EXPECT_EQ(w.min_periods, 3);
  EXPECT_GE(w.periods, 3);
  EXPECT_GE(w.length_ns(), 1 * kSec);
  const std::vector<int64_t> starts = LoadClockStarts(data->gc);
  const auto first = std::find(starts.begin(), starts.end(), w.from_ns);
  const auto last = std::find(starts.begin(), starts.end(), w.to_ns);
  ASSERT_NE(first, starts.end()) << "the window starts at no stored cycle";
  ASSERT_NE(last, starts.end()) << "the window ends at no stored cycle";
  EXPECT_EQ(last - first, w.periods);
  EXPECT_EQ(r.metrics.window_ns, w.length_ns());
  EXPECT_EQ(r.metrics.gc_periods, w.periods);
  EXPECT_TRUE(r.metrics.whole_periods);
  EXPECT_EQ(r.metrics.gc_cycles, w.periods);  // the cycles started in [first, last)
  EXPECT_EQ(r.metrics.responses, AnsweredIn(data->requests, w.from_ns, w.to_ns));
  EXPECT_EQ(data->attribution.alignment_error_ns, data->gc.origin_error_ns);
}

TEST(TunePeriodsE2eTest, EachRunIsMeasuredOverWholeGcPeriods) {
  const std::string dir = ::testing::TempDir() + "gcpilot_tune_periods";
  const StoredStudy study = RunStudy("tune_periods", Study("\"25\", \"50\"", ""));
  ASSERT_EQ(study.runs.size(), 3u);
  auto store = StudyStore::Open(dir + "/study.db");
  ASSERT_TRUE(store.ok());
  for (const RunResult& r : study.runs) ExpectWholePeriods(*store, r);
}

TEST(TunePeriodsE2eTest, ASettingWithoutCyclesIsMeasuredOverItsWholeBound) {
  const std::string dir = ::testing::TempDir() + "gcpilot_tune_no_cycles";
  const StoredStudy study = RunStudy("tune_no_cycles", Study("\"off\"", ""), {"--max-duration", "4s"});
  ASSERT_EQ(study.runs.size(), 2u);  // GOGC=off and the default
  auto store = StudyStore::Open(dir + "/study.db");
  ASSERT_TRUE(store.ok());
  int off_runs = 0;
  for (const RunResult& r : study.runs) {
    if (r.env.at("GOGC") != "off") continue;
    ++off_runs;
    ASSERT_EQ(r.status, RunStatus::kDone) << r.reason;
    auto data = store->LoadRunData(r.id);
    ASSERT_TRUE(data.ok());
    EXPECT_TRUE(data->gc.cycles.empty() ||
                data->gc.ToLoadClock(data->gc.cycles.back().start_ns) < data->requests.records.front().due_ns);
    // The whole bound was loaded and measured: requests due up to its end.
    ASSERT_FALSE(data->requests.records.empty());
    const int64_t from = data->requests.records.front().due_ns;
    EXPECT_LT(data->requests.records.back().due_ns, from + 4 * kSec);
    EXPECT_GE(data->requests.records.back().due_ns, from + 4 * kSec - 2'000'000);  // 500/s: 2 ms apart
    EXPECT_EQ(r.metrics.responses, AnsweredIn(data->requests, from, from + 4 * kSec));
    EXPECT_EQ(r.metrics.gc_cycles, 0);
    // The stored window (RunData::attribution, RunMetrics' window fields).
    const MeasuredWindow& w = data->attribution.window;
    EXPECT_FALSE(w.whole_periods);
    EXPECT_EQ(w.periods, 0);
    EXPECT_EQ(w.min_periods, 3);
    // The bound after the warm-up: from the first measured request's due
    // time, exactly max_duration long.
    ASSERT_FALSE(data->requests.records.empty());
    EXPECT_EQ(w.from_ns, data->requests.records.front().due_ns);
    EXPECT_EQ(w.length_ns(), 4 * kSec);
    EXPECT_EQ(r.metrics.window_ns, 4 * kSec);
    EXPECT_EQ(r.metrics.gc_periods, 0);
    EXPECT_FALSE(r.metrics.whole_periods);
    EXPECT_EQ(r.metrics.gc_cycles, 0);
    EXPECT_EQ(r.metrics.responses, AnsweredIn(data->requests, w.from_ns, w.to_ns));
    // Too few periods: the figures are the steady-state estimate, which
    // says why (no cycle: the GC did not run; the latency outside GC).
    const SteadyEstimate& e = data->attribution.estimate;
    EXPECT_TRUE(e.used);
    EXPECT_TRUE(r.metrics.latency_estimated);
    EXPECT_EQ(r.metrics.p99_ns, e.p99_ns);
    EXPECT_EQ(e.period_ns, 0);
    EXPECT_EQ(e.duty, 0);
    EXPECT_EQ(e.basis, "no GC cycle within the 4.0 s bound or before it: duty 0, the latency outside GC");
    EXPECT_EQ(e.out_gc_requests, r.metrics.responses);
    EXPECT_GE(data->attribution.alignment_error_ns, 2'000'000);  // runtime start-up and gctrace's rounding
  }
  EXPECT_EQ(off_runs, 1);
}

TEST(TunePeriodsE2eTest, GctraceLinesThatArriveLateAndCutStillEndTheRunAtWholePeriods) {
  const std::string dir = ::testing::TempDir() + "gcpilot_tune_late_lines";
  const StoredStudy study =
      RunStudy("tune_late_lines", Study("\"25\"", std::string(GCPILOT_SOURCE_DIR) + "/tests/late_stderr.py"));
  ASSERT_EQ(study.runs.size(), 2u);  // GOGC=25 and the default
  auto store = StudyStore::Open(dir + "/study.db");
  ASSERT_TRUE(store.ok());
  for (const RunResult& r : study.runs) ExpectWholePeriods(*store, r);
}

}  // namespace
}  // namespace gcpilot
