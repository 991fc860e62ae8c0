// The report read from real study databases: one migrated from schema 1,
// and hand-edited ones that must give a clear error or a page, never an
// exception out of the library.
#include <sqlite3.h>

#include <filesystem>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "analysis/outline_json.h"
#include "report/report.h"

namespace gcpilot {
namespace {

std::string Fresh(const char* name) {
  const std::string path = ::testing::TempDir() + "report_store_test_" + name;
  for (const char* ext : {"", "-wal", "-shm"}) std::filesystem::remove(path + ext);
  return path;
}

void Sql(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  sqlite3_close(db);
}

TEST(ReportStoreTest, AStudyOfTheReleaseBeforeSchemaTwoStillReports) {
  const std::string path = Fresh("v1.db");
  std::filesystem::copy_file(std::string(GCPILOT_SOURCE_DIR) + "/testdata/store/study-v1.db", path);
  auto store = StudyStore::OpenExisting(path);
  ASSERT_TRUE(store.ok()) << store.status().message();
  auto in = LoadReportInput(*store, 0);
  ASSERT_TRUE(in.ok()) << in.status().message();
  EXPECT_EQ(in->runs.size(), 3u);
  EXPECT_EQ(in->corrected.size(), 3u);
  const std::string html = RenderReport(*in);
  EXPECT_NE(html.find("<h1>gcpilot study 1: command line</h1>"), std::string::npos);
  EXPECT_NE(html.find("Recommendation"), std::string::npos);
  EXPECT_NE(html.find("each run: 1 s warm-up, then 3 s measured under the load schedule \"500\" (req/s)"),
            std::string::npos);
  // Its best setting is the default: drawn once, as the recommendation. A
  // schema-1 study kept no request log and no clock alignment: the window
  // is not known, and the caption says so instead of guessing.
  ASSERT_TRUE(in->analysis.rec.is_default);
  EXPECT_NE(html.find(">recommended, baseline run 1 of 1 (run 2): heap</text>"), std::string::npos);
  EXPECT_EQ(html.find("<h3>default"), std::string::npos);
  EXPECT_TRUE(in->measured.empty());
  EXPECT_NE(html.find("The measured window of this run was not recorded (no request log or clock alignment in the "
                      "study): 3 cycles in the whole run;"),
            std::string::npos);
}

// A run's measured window on its target's clock: the first measured
// request's due time (load clock) minus the load clock at the target's
// time 0, for the measured time the spec asked.
TEST(ReportStoreTest, TheMeasuredWindowComesFromTheRequestLogAndTheClockAlignment) {
  const std::string path = Fresh("window.db");
  auto store = StudyStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.status().message();
  StudyOutline o;
  o.source = "window test";
  o.factors = {{"GOGC", {"100", "400"}, "100"}};
  nlohmann::json spec;
  OutlineToJson(o, &spec);
  spec["warmup_ns"] = 2'000'000'000;
  spec["duration_ns"] = 5'000'000'000;
  RunResult planned;
  planned.phase = RunPhase::kBaseline;
  planned.levels = {0};
  planned.env = {{"GOGC", "100"}};
  auto id = store->CreateStudy(spec.dump(), "full factorial", {planned});
  ASSERT_TRUE(id.ok()) << id.status().message();
  RunResult run = store->Load(*id)->runs[0];
  run.status = RunStatus::kDone;
  run.metrics.p99_ns = 4'000'000;
  RunData data;
  const int64_t origin = 1'000'000'000'000;
  data.gc.load_clock_origin_ns = origin;
  data.gc.origin_error_ns = 1'000'000;
  for (int64_t at_ms : {1000, 3500, 6000, 8000}) {
    GcCycle c;
    c.number = static_cast<int64_t>(data.gc.cycles.size()) + 1;
    c.start_ns = at_ms * 1'000'000;
    c.procs = 2;
    c.cpu_background_ns = 50'000'000;
    data.gc.cycles.push_back(c);
  }
  data.requests.kinds = {"request"};
  for (int i = 0; i < 3; ++i) data.requests.records.push_back({origin + 2'300'000'000 + i * 1'000'000, -1, -1});
  ASSERT_TRUE(store->SaveRun(run, data).ok());
  auto in = LoadReportInput(*store, 0);
  ASSERT_TRUE(in.ok()) << in.status().message();
  ASSERT_EQ(in->measured.count(run.id), 1u);
  EXPECT_EQ(in->measured.at(run.id), (TimeSpan{2'300'000'000, 7'300'000'000}));
  // The only run is the recommendation's figure run: its request log is
  // kept (3 records, none answered: the figure says so), and it has no
  // stored attribution.
  ASSERT_EQ(in->requests.count(run.id), 1u);
  EXPECT_EQ(in->requests.at(run.id), data.requests);
  EXPECT_EQ(in->attribution.at(run.id).alignment_error_ns, -1);
  const std::string html = RenderReport(*in);
  EXPECT_NE(
      html.find(">recommended: latency over time, baseline run 1 (0 GC periods): no answered request logged</text>"),
      std::string::npos);
  EXPECT_NE(html.find("No attribution for the baseline run 1 (0 GC periods): its requests were not joined"),
            std::string::npos);
  // The cycles at 3.5 and 6 s: 100 ms of GC CPU over 5 s x 2 Ps.
  EXPECT_NE(RenderReport(*in).find("Measured window 2.3-7.3 s of the target's clock (warm-up from 0.3 s); 2 cycles "
                                   "in the measured window, 4 in the whole run; GC CPU over the measured window "
                                   "1.0% of GOMAXPROCS"),
            std::string::npos);
}

// A run of schema 3: its stored window (whole GC periods, from the cycle
// at 3.5 s to the one at 8 s of its clock) is the one the GC timeline
// shades, and its stored attribution is the table under its figure.
TEST(ReportStoreTest, TheStoredWindowAndAttributionAreShown) {
  const std::string path = Fresh("attribution.db");
  auto store = StudyStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.status().message();
  StudyOutline o;
  o.source = "attribution test";
  o.factors = {{"GOGC", {"100", "400"}, "100"}};
  nlohmann::json spec;
  OutlineToJson(o, &spec);
  spec["warmup_ns"] = 2'000'000'000;
  spec["duration_ns"] = 3'000'000'000;
  RunResult planned;
  planned.phase = RunPhase::kBaseline;
  planned.levels = {0};
  planned.env = {{"GOGC", "100"}};
  auto id = store->CreateStudy(spec.dump(), "full factorial", {planned});
  ASSERT_TRUE(id.ok()) << id.status().message();
  RunResult run = store->Load(*id)->runs[0];
  run.status = RunStatus::kDone;
  run.metrics.p99_ns = 4'000'000;
  run.metrics.gc_periods = 2;
  run.metrics.whole_periods = true;
  RunData data;
  const int64_t origin = 1'000'000'000'000;
  data.gc.load_clock_origin_ns = origin;
  data.gc.origin_error_ns = 1'000'000;
  for (int64_t at_ms : {1000, 3500, 6000, 8000}) {
    GcCycle c;
    c.number = static_cast<int64_t>(data.gc.cycles.size()) + 1;
    c.start_ns = at_ms * 1'000'000;
    c.mark_ns = 50'000'000;
    c.procs = 2;
    data.gc.cycles.push_back(c);
  }
  data.requests.kinds = {"request"};
  for (int64_t t = origin + 2'000'000'000; t < origin + 9'000'000'000; t += 10'000'000) {
    data.requests.records.push_back({t, t, t + 1'000'000});
  }
  RunAttribution& a = data.attribution;
  a.window = {origin + 3'500'000'000, origin + 8'000'000'000, 2, 2, true};
  a.alignment_error_ns = 1'000'000;
  a.phases[static_cast<int>(GcPhase::kMark)] = {10, 1'000'000, 1'000'000, 1'000'000, 1'000'000};
  a.phases[static_cast<int>(GcPhase::kOutside)] = {440, 1'000'000, 1'000'000, 1'000'000, 1'000'000};
  a.slow = {1'000'000, 0, 0, 0, 0, 0};
  ASSERT_TRUE(store->SaveRun(run, data).ok());
  auto in = LoadReportInput(*store, 0);
  ASSERT_TRUE(in.ok()) << in.status().message();
  EXPECT_EQ(in->measured.at(run.id), (TimeSpan{3'500'000'000, 8'000'000'000}));
  EXPECT_EQ(in->attribution.at(run.id), a);
  const std::string html = RenderReport(*in);
  EXPECT_NE(html.find(">recommended: latency over time, baseline run 1 (2 GC periods)</text>"), std::string::npos);
  EXPECT_NE(html.find("<tr><td class=\"l\">mark: during concurrent mark</td><td>10</td><td>1.000</td>"),
            std::string::npos);
  EXPECT_NE(html.find("Measured window 3.5-8.0 s of the target's clock"), std::string::npos);
  EXPECT_EQ(html.find("GC in the execution trace"), std::string::npos);  // it captured none

  // The same run with a captured trace: stored, loaded for the figure run, shown.
  data.trace = TraceSummary{.version = "go 1.26", .bytes = 4096, .span = {0, 1'000'000'000}, .gc_cycles = 1};
  data.trace->mmu = {{1'000'000, 0.5, 100}, {10'000'000, 0.75, 0}};
  data.trace->attribution.requests = 100;
  data.trace->attribution.slow = 1;
  data.trace->attribution.slow_met_stw = 1;
  data.trace->attribution.threshold_ns = 2'000'000;
  ASSERT_TRUE(store->SaveRun(run, data).ok());
  in = LoadReportInput(*store, 0);
  ASSERT_TRUE(in.ok()) << in.status().message();
  EXPECT_EQ(in->traces.at(run.id), *data.trace);
  const std::string traced = RenderReport(*in);
  EXPECT_NE(traced.find("<h2>GC in the execution trace</h2>"), std::string::npos);
  EXPECT_NE(traced.find("<p>Of the 1 request above the P99 (2 ms), 100% overlapped a GC stop-the-world, 0% did "
                        "mark-assist work, 0% waited runnable during mark.</p>"),
            std::string::npos);
}

TEST(ReportStoreTest, HandEditedDatabasesGiveAnErrorOrAPageNeverAThrow) {
  const std::string path = Fresh("edited.db");
  std::filesystem::copy_file(std::string(GCPILOT_SOURCE_DIR) + "/testdata/store/study-v1.db", path);
  { ASSERT_TRUE(StudyStore::OpenExisting(path).ok()); }  // migrated
  // A run whose env lacks the factor, with no levels: shown as unset.
  Sql(path, "UPDATE run SET env_json = '{}', levels_json = '[]' WHERE seq = 0");
  {
    auto store = StudyStore::OpenExisting(path);
    ASSERT_TRUE(store.ok());
    auto in = LoadReportInput(*store, 0);
    ASSERT_TRUE(in.ok()) << in.status().message();
    EXPECT_NE(RenderReport(*in).find("<td>1</td><td class=\"l\">design</td><td class=\"l\">(unset)</td>"),
              std::string::npos);
  }
  // Wrong JSON types and a damaged spec: errors that say where.
  Sql(path, "UPDATE run SET env_json = '[1, 2]' WHERE seq = 1");
  {
    auto store = StudyStore::OpenExisting(path);
    auto in = LoadReportInput(*store, 0);
    EXPECT_EQ(in.status().code(), StatusCode::kCorruption);
    EXPECT_EQ(in.status().message().rfind(path + ": run 2: ", 0), 0u) << in.status().message();
  }
  Sql(path, "UPDATE run SET env_json = '{}' WHERE seq = 1");
  // Numbers that are not numbers, a damaged histogram, a missing table.
  Sql(path, "UPDATE run SET p99_ns = 'abc' WHERE seq = 2");
  {
    auto store = StudyStore::OpenExisting(path);
    auto in = LoadReportInput(*store, 0);
    EXPECT_EQ(in.status().message(), path + ": run 3: p99_ns is not a number");
  }
  Sql(path, "UPDATE run SET p99_ns = 5169151 WHERE seq = 2");
  Sql(path, "UPDATE histogram SET counts_json = '[[1,' WHERE run_id = 3");
  {
    auto store = StudyStore::OpenExisting(path);
    auto in = LoadReportInput(*store, 0);
    EXPECT_EQ(in.status().code(), StatusCode::kCorruption);
    EXPECT_EQ(in.status().message().rfind(path + ": run 3 histogram: ", 0), 0u) << in.status().message();
  }
  Sql(path, "DROP TABLE histogram");
  {
    auto store = StudyStore::OpenExisting(path);
    auto in = LoadReportInput(*store, 0);
    EXPECT_EQ(in.status().message(), path + ": reading histograms: no such table: histogram");
  }
  Sql(path, "UPDATE study SET spec_json = '{\"factors\": 7}'");
  {
    auto store = StudyStore::OpenExisting(path);
    auto in = LoadReportInput(*store, 0);
    EXPECT_EQ(in.status().code(), StatusCode::kCorruption);
    EXPECT_EQ(in.status().message().rfind("stored study spec: source: ", 0), 0u) << in.status().message();
  }
  Sql(path, "UPDATE study SET spec_json = 'not json'");
  {
    auto store = StudyStore::OpenExisting(path);
    auto in = LoadReportInput(*store, 0);
    EXPECT_EQ(in.status().message(), "stored study spec: not a JSON object");
  }
}

}  // namespace
}  // namespace gcpilot
