// A run saved with everything it can carry comes back field by field, and
// study databases written by the releases before schemas 2 and 3 still load.
#include <sqlite3.h>

#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "store/study_store.h"

namespace gcpilot {
namespace {

std::string Fresh(const char* name) {
  const std::string path = ::testing::TempDir() + "study_store_roundtrip_" + name;
  for (const char* ext : {"", "-wal", "-shm"}) std::filesystem::remove(path + ext);
  return path;
}

RunResult PlannedRun(int seq) {
  RunResult r;
  r.seq = seq;
  r.phase = seq == 0 ? RunPhase::kDesign : RunPhase::kVerify;
  if (seq == 0) r.design_cell = 4;
  r.repeat = 1;
  r.levels = {2, RunResult::kNotALevel};
  r.env = {{"GOGC", "400"}, {"GOMEMLIMIT", "900MiB"}, {"PAYGATE_POOL", ""}};
  return r;
}

// Every field set to a value unlike its default and unlike the others.
RunResult FinishedRun(RunResult r) {
  r.status = RunStatus::kFailed;
  r.reason = "exited during the load (killed by SIGKILL, likely the out-of-memory killer)";
  r.started_unix_ns = 1'764'000'000'123'456'789;
  r.finished_unix_ns = 1'764'000'020'987'654'321;
  r.exit = "killed by SIGKILL";
  RunMetrics& m = r.metrics;
  m.asked_rps = 3000.5;
  m.achieved_rps = 2999.25;
  m.responses = 29'990;
  m.errors = 7;
  m.error_rate = 7.0 / 30'000;
  m.p50_ns = 210'111;
  m.p90_ns = 450'222;
  m.p99_ns = 7'980'333;
  m.p999_ns = 12'345'444;
  m.max_ns = 20'000'555;
  m.mean_ns = 333'666;
  m.p99_uncorrected_ns = 6'000'777;
  m.peak_rss_bytes = 566'231'040;
  m.cpu_ns = 9'876'543'210;
  m.gc_cycles = 3;
  m.gc_cpu_share = 0.125;
  m.gc_wall_share = 0.4375;
  m.assist_share = 0.0625;
  m.stw_p99_ns = 88'000;
  m.stw_max_ns = 99'000;
  m.heap_live_p50_bytes = int64_t{288} << 20;
  m.heap_peak_bytes = int64_t{491} << 20;
  m.window_ns = 61'250'000'000;
  m.gc_periods = 5;
  m.whole_periods = true;
  m.latency_estimated = true;
  m.live_heap_slope_bytes_per_sec = 2'202'009.5;
  m.limit_reached_in_ns = 70'125'000'000;
  return r;
}

// Every RunAttribution field set, none to its default.
RunAttribution FullAttribution() {
  RunAttribution a;
  a.window = {77'500'000'000, 138'750'000'000, 5, 3, true};
  a.alignment_error_ns = 1'000'000;
  a.phases[static_cast<int>(GcPhase::kStw)] = {41, 900'000, 3'100'000, 3'300'000, 1'200'000};
  a.phases[static_cast<int>(GcPhase::kMark)] = {52'000, 410'000, 6'800'000, 14'020'000, 700'000};
  a.phases[static_cast<int>(GcPhase::kRecovery)] = {3'100, 300'000, 2'000'000, 2'500'000, 450'000};
  a.phases[static_cast<int>(GcPhase::kOutside)] = {128'000, 200'000, 900'000, 1'100'000, 230'000};
  a.recovery_ns = 12'000'000;
  a.slow = {6'800'000, 1'832, 73, 1'301, 12, 446};
  a.cycles = {{9, 80'000'000'000, 9'500, 690'000, 460'000, 11'000'000},
              {10, 92'250'000'000, 9'700, 180'000, -50'000, 13'000'000}};
  SteadyEstimate& e = a.estimate;
  e.used = true;
  e.duty = 0.0390625;
  e.period_ns = 12'250'000'000;
  e.cycle_ns = 478'000'000;
  e.alloc_bytes_per_sec = 19'800'000.25;
  e.in_gc_requests = 52'041;
  e.out_gc_requests = 131'100;
  e.in_gc_p99_ns = 6'800'000;
  e.out_gc_p99_ns = 900'000;
  e.p50_ns = 205'000;
  e.p90_ns = 420'000;
  e.p99_ns = 3'900'000;
  e.p999_ns = 9'000'000;
  e.max_ns = 14'020'000;
  e.mean_ns = 260'000;
  e.upper_bound = true;
  e.basis = "period 12.2 s from 19.8 MB/s of heap growth between cycles; mark 478 ms";
  HeapTrend& h = a.heap;
  h.cycles = 6;
  h.slope_bytes_per_sec = 2'202'009.5;
  h.slope_stderr_bytes_per_sec = 104'857.5;
  h.live_bytes = int64_t{300} << 20;
  h.limit_bytes = int64_t{450} << 20;
  h.limit_reached_in_ns = 70'125'000'000;
  h.horizon_ns = 3'600'000'000'000;
  h.warning = "live heap +2.1 MiB/s: GOMEMLIMIT=450MiB is reached in ~70 s, then GC runs back to back";
  return a;
}

// Every TraceSummary field set, none to its default.
TraceSummary FullTraceSummary() {
  TraceSummary t;
  t.version = "go 1.26";
  t.bytes = 1'234'567;
  t.span = {125, 2'000'000'125};
  t.gc_cycles = 4;
  t.stw_pauses = 8;
  t.stw_max_ns = 310'000;
  t.mark_assists = 176;
  t.assist_ns = 9'876'543;
  t.mmu = {{100'000, 0.25, 1'500'000}, {1'000'000, 0.5625, 1'400'000}, {1'000'000'000, 0.875, 0}};
  t.payers = {{"main.(*server).handlePay", 41, 120, 7'000'000}, {"(unknown)", 3, 5, 12'345}};
  TraceAttribution& a = t.attribution;
  a.unit = TraceAttribution::Unit::kGoroutine;
  a.requests = 5'999;
  a.slow_percentile = 99.9;
  a.threshold_ns = 4'100'000;
  a.slow = 6;
  a.slow_met_stw = 2;
  a.slow_assisted = 4;
  a.slow_runnable_in_mark = 5;
  a.slow_total = {1, 2, 3, 4, 5, 6, 7};
  a.all_total = {11, 12, 13, 14, 15, 16, 17};
  a.slowest = {{"pay", 812, {1'000, 9'001'000}, {21, 22, 23, 24, 25, 26, 27}},
               {"refund, \"partial\"", 813, {2'000, 8'002'000}, {31, 32, 33, 34, 35, 36, 37}}};
  return t;
}

RunData FullData() {
  RunData d;
  d.corrected = HdrHistogram::ForLatencyNs();
  d.uncorrected = HdrHistogram::ForLatencyNs();
  for (int64_t v : {1'000, 250'000, 250'001, 7'000'000}) d.corrected->Record(v);
  d.uncorrected->Record(123'456);
  d.timeline = {{0, 3000, 3001, 2999, 1, 200'000, 7'000'000, 6'000'000, 9'000'000},
                {1, 3000.5, 2998, 3000, 0, 210'000, 7'100'000, 6'100'000, 9'100'000}};
  d.requests.kinds = {"pay", "lookup"};
  d.requests.records = {
      {1'000'000'000, 1'000'000'100, 1'000'250'000, 0, 200, RequestOutcome::kOk},
      {1'000'333'333, 1'000'400'000, 1'005'000'000, 1, 503, RequestOutcome::kNon2xx},
      {1'000'666'666, RequestRecord::kNever, 1'006'000'000, 1, 0, RequestOutcome::kAborted},
      {1'001'000'000, 1'001'000'050, RequestRecord::kNever, 0, 0, RequestOutcome::kTimeout},
  };
  GcCycle c;
  c.number = 9;
  c.start_ns = 8'455'000'000;
  c.forced = true;
  c.procs = 2;
  c.sweep_term_ns = 86'000;
  c.mark_ns = 475'000'000;
  c.sync_ns = 12'000;
  c.mark_term_ns = 35'000;
  c.cpu_sweep_term_ns = 170'000;
  c.cpu_assist_ns = 5'200'000;
  c.cpu_background_ns = 248'000'000;
  c.cpu_idle_ns = 310'000'000;
  c.cpu_mark_term_ns = 71'000;
  c.cpu_other_ns = 3'000;
  c.heap_start_bytes = int64_t{452} << 20;
  c.heap_end_bytes = int64_t{491} << 20;
  c.heap_live_bytes = int64_t{288} << 20;
  c.heap_goal_bytes = int64_t{531} << 20;
  c.stacks_bytes = int64_t{1} << 20;
  c.globals_bytes = 0;
  c.origin = {GcSource::kGctrace, 123, 0, GctraceFormat::kFivePhase, 7};
  GcCycle t = c;
  t.number = 10;
  t.origin = {GcSource::kExecTrace, 0, 4096, GctraceFormat::kStacksGlobals, 0};
  d.gc.cycles = {c, t};
  d.gc.stw_pauses = {{{8'455'000'000, 8'455'086'000}, "GC sweep termination", 9}};
  d.gc.goroutine_spans = {{GoroutineGcSpan::Kind::kMarkAssist, {8'456'000'000, 8'456'300'000}, 42, 1},
                          {GoroutineGcSpan::Kind::kSweep, {8'931'000'000, 8'931'010'000}, 43, -1}};
  d.gc.heap_samples = {{8'455'000'000, int64_t{452} << 20, int64_t{531} << 20}};
  d.gc.load_clock_origin_ns = 77'000'000'000;
  d.gc.origin_error_ns = 1'000'000;
  d.attribution = FullAttribution();
  d.trace = FullTraceSummary();
  d.trace_note = "captured 2 s of trace at 4.5 s into the window";
  return d;
}

TEST(StudyStoreRoundTripTest, ARunComesBackFieldByField) {
  const std::string path = Fresh("full.db");
  auto store = StudyStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.status().message();
  auto id = store->CreateStudy("{\"x\":1}", "L9", {PlannedRun(0)});
  ASSERT_TRUE(id.ok()) << id.status().message();
  std::vector<RunResult> more = {PlannedRun(1)};
  ASSERT_TRUE(store->AddRuns(*id, &more).ok());
  EXPECT_GT(more[0].id, 0);

  auto planned = store->Load(*id);
  ASSERT_TRUE(planned.ok()) << planned.status().message();
  ASSERT_EQ(planned->runs.size(), 2u);
  RunResult expect_pending = PlannedRun(1);
  expect_pending.id = more[0].id;
  EXPECT_EQ(planned->runs[1], expect_pending);

  const RunResult saved = FinishedRun(planned->runs[0]);
  const RunData data = FullData();
  ASSERT_TRUE(store->SaveRun(saved, data).ok());
  ASSERT_TRUE(store->SetStudyStatus(*id, StudyStatus::kDone).ok());

  auto loaded = store->Load(*id);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->status, StudyStatus::kDone);
  EXPECT_EQ(loaded->spec_json, "{\"x\":1}");
  EXPECT_EQ(loaded->design, "L9");
  EXPECT_EQ(loaded->runs[0], saved);
  EXPECT_EQ(loaded->runs[0].metrics, saved.metrics);
  EXPECT_EQ(loaded->runs[1], expect_pending);

  auto back = store->LoadRunData(saved.id);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->timeline, data.timeline);
  EXPECT_EQ(back->requests, data.requests);
  EXPECT_EQ(back->gc.cycles, data.gc.cycles);
  EXPECT_EQ(back->gc.stw_pauses, data.gc.stw_pauses);
  EXPECT_EQ(back->gc.goroutine_spans, data.gc.goroutine_spans);
  EXPECT_EQ(back->gc.heap_samples, data.gc.heap_samples);
  EXPECT_EQ(back->gc, data.gc);
  EXPECT_EQ(back->attribution.window, data.attribution.window);
  EXPECT_EQ(back->attribution.phases, data.attribution.phases);
  EXPECT_EQ(back->attribution.slow, data.attribution.slow);
  EXPECT_EQ(back->attribution.cycles, data.attribution.cycles);
  EXPECT_EQ(back->attribution.estimate, data.attribution.estimate);
  EXPECT_EQ(back->attribution.heap, data.attribution.heap);
  EXPECT_EQ(back->attribution, data.attribution);
  ASSERT_TRUE(back->trace.has_value());
  EXPECT_EQ(back->trace->mmu, data.trace->mmu);
  EXPECT_EQ(back->trace->payers, data.trace->payers);
  EXPECT_EQ(back->trace->attribution.slowest, data.trace->attribution.slowest);
  EXPECT_EQ(back->trace->attribution, data.trace->attribution);
  EXPECT_EQ(*back->trace, *data.trace);
  EXPECT_EQ(back->trace_note, data.trace_note);
  ASSERT_TRUE(back->corrected && back->uncorrected);
  EXPECT_EQ(back->corrected->NonZeroCounts(), data.corrected->NonZeroCounts());
  EXPECT_EQ(back->corrected->min(), 1'000);
  EXPECT_EQ(back->corrected->max(), data.corrected->max());
  EXPECT_EQ(back->uncorrected->NonZeroCounts(), data.uncorrected->NonZeroCounts());

  // A run that never reached the load has no histograms, and says so; it
  // was never joined to its GC either.
  auto none = store->LoadRunData(more[0].id);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->corrected.has_value());
  EXPECT_EQ(none->attribution, RunAttribution{});
  EXPECT_EQ(none->attribution.alignment_error_ns, -1);
  EXPECT_FALSE(none->trace.has_value());
  EXPECT_EQ(none->trace_note, "");
  EXPECT_EQ(store->LoadHistogram(more[0].id, "corrected").status().code(), StatusCode::kNotFound);
}

// A long run's log spans several rows (1 Mi records each); it comes back whole.
TEST(StudyStoreRoundTripTest, ALongRequestLogComesBackWhole) {
  const std::string path = Fresh("long.db");
  auto store = StudyStore::Open(path);
  ASSERT_TRUE(store.ok());
  auto id = store->CreateStudy("{}", "full", {PlannedRun(0)});
  ASSERT_TRUE(id.ok());
  RunResult run = FinishedRun(store->Load(*id)->runs[0]);
  RunData data;
  data.requests.kinds = {"pay"};
  const size_t n = (size_t{1} << 20) * 2 + 3;
  data.requests.records.resize(n);
  for (size_t i = 0; i < n; ++i) {
    RequestRecord& r = data.requests.records[i];
    r.due_ns = static_cast<int64_t>(i) * 100;
    r.sent_ns = r.due_ns + 7;
    r.done_ns = r.due_ns + 1000 + static_cast<int64_t>(i % 97);
    r.http_status = 200;
  }
  ASSERT_TRUE(store->SaveRun(run, data).ok());
  auto back = store->LoadRunData(run.id);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->requests.records.size(), n);
  EXPECT_TRUE(back->requests == data.requests);
}

// Saving a run again (a resumed study re-runs it) replaces its attribution;
// a run saved without one has no attribution rows and loads the default.
TEST(StudyStoreRoundTripTest, SavingARunAgainReplacesItsAttribution) {
  const std::string path = Fresh("resave.db");
  auto store = StudyStore::Open(path);
  ASSERT_TRUE(store.ok());
  auto id = store->CreateStudy("{}", "full", {PlannedRun(0)});
  ASSERT_TRUE(id.ok());
  const RunResult run = FinishedRun(store->Load(*id)->runs[0]);
  RunData data;
  data.attribution = FullAttribution();
  ASSERT_TRUE(store->SaveRun(run, data).ok());
  data.attribution.cycles.pop_back();
  data.attribution.heap.warning = "";
  ASSERT_TRUE(store->SaveRun(run, data).ok());
  auto back = store->LoadAttribution(run.id);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->cycles.size(), 1u);
  EXPECT_EQ(*back, data.attribution);
  ASSERT_TRUE(store->SaveRun(run, RunData{}).ok());
  back = store->LoadAttribution(run.id);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, RunAttribution{});
}

// A capture that failed is noted without a summary; saving the run again
// replaces the summary and its lists.
TEST(StudyStoreRoundTripTest, AFailedTraceCaptureKeepsItsNote) {
  const std::string path = Fresh("trace-note.db");
  auto store = StudyStore::Open(path);
  ASSERT_TRUE(store.ok());
  auto id = store->CreateStudy("{}", "full", {PlannedRun(0)});
  ASSERT_TRUE(id.ok());
  const RunResult run = FinishedRun(store->Load(*id)->runs[0]);
  RunData data;
  data.trace = FullTraceSummary();
  ASSERT_TRUE(store->SaveRun(run, data).ok());
  data.trace.reset();
  data.trace_note = "trace capture failed: 127.0.0.1:8080: connection refused";
  ASSERT_TRUE(store->SaveRun(run, data).ok());
  RunData back;
  ASSERT_TRUE(store->LoadTraceSummary(run.id, &back).ok());
  EXPECT_FALSE(back.trace.has_value());
  EXPECT_EQ(back.trace_note, data.trace_note);
  ASSERT_TRUE(store->SaveRun(run, RunData{}).ok());
  back = {};
  ASSERT_TRUE(store->LoadTraceSummary(run.id, &back).ok());
  EXPECT_FALSE(back.trace.has_value());
  EXPECT_EQ(back.trace_note, "");
}

TEST(StudyStoreRoundTripTest, ADamagedTraceSummaryIsCorruptionNotACrash) {
  const std::string path = Fresh("trace-damaged.db");
  int64_t run = 0;
  {
    auto store = StudyStore::Open(path);
    ASSERT_TRUE(store.ok());
    auto id = store->CreateStudy("{}", "full", {PlannedRun(0)});
    ASSERT_TRUE(id.ok());
    run = store->Load(*id)->runs[0].id;
    ASSERT_TRUE(store->SaveRun(FinishedRun(store->Load(*id)->runs[0]), FullData()).ok());
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE trace_request SET stw_ns = 'long'", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto store = StudyStore::OpenExisting(path);
  ASSERT_TRUE(store.ok());
  RunData data;
  const Status st = store->LoadTraceSummary(run, &data);
  EXPECT_EQ(st.code(), StatusCode::kCorruption);
  EXPECT_EQ(st.message(), path + ": run " + std::to_string(run) + ": trace_request.stw_ns is not of its type");
}

TEST(StudyStoreRoundTripTest, SavingARunThatWasNeverPlannedIsAnError) {
  const std::string path = Fresh("unplanned.db");
  auto store = StudyStore::Open(path);
  ASSERT_TRUE(store.ok());
  RunResult r = FinishedRun(PlannedRun(0));
  r.id = 999;
  const Status st = store->SaveRun(r, FullData());
  EXPECT_EQ(st.code(), StatusCode::kNotFound);
  EXPECT_EQ(st.message(), path + ": saving a run: no planned run 999");
}

TEST(StudyStoreRoundTripTest, ADamagedRequestLogIsCorruptionNotACrash) {
  const std::string path = Fresh("damaged.db");
  int64_t run = 0;
  {
    auto store = StudyStore::Open(path);
    ASSERT_TRUE(store.ok());
    auto id = store->CreateStudy("{}", "full", {PlannedRun(0)});
    ASSERT_TRUE(id.ok());
    run = store->Load(*id)->runs[0].id;
    ASSERT_TRUE(store->SaveRun(FinishedRun(store->Load(*id)->runs[0]), FullData()).ok());
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "UPDATE request_log SET records = x'0102'; UPDATE run SET phase = 'sideways';"
                         "UPDATE heap_trend SET cycles = 'many';",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto store = StudyStore::OpenExisting(path);
  ASSERT_TRUE(store.ok());
  auto data = store->LoadRunData(run);
  EXPECT_EQ(data.status().code(), StatusCode::kCorruption);
  EXPECT_EQ(data.status().message(),
            path + ": run " + std::to_string(run) + ": request log of 2 bytes is not whole 29-byte records");
  auto attribution = store->LoadAttribution(run);
  EXPECT_EQ(attribution.status().code(), StatusCode::kCorruption);
  EXPECT_EQ(attribution.status().message(),
            path + ": run " + std::to_string(run) + ": heap_trend.cycles is not of its type");
  auto study = store->Load(1);
  EXPECT_EQ(study.status().message(),
            path + ": run " + std::to_string(run) + ": unknown phase \"sideways\" or status \"failed\"");
}

// The real version-1 study of testdata/store/README.md, values read from
// it with sqlite3 before migration.
TEST(StudyStoreMigrationTest, AVersionOneStudyLoadsAsVersionFour) {
  const std::string path = Fresh("v1.db");
  std::filesystem::copy_file(std::string(GCPILOT_SOURCE_DIR) + "/testdata/store/study-v1.db", path);
  {
    auto store = StudyStore::OpenExisting(path);
    ASSERT_TRUE(store.ok()) << store.status().message();
    auto study = store->Load(1);
    ASSERT_TRUE(study.ok()) << study.status().message();
    EXPECT_EQ(study->status, StudyStatus::kDone);
    EXPECT_EQ(study->design, "full factorial");
    ASSERT_EQ(study->runs.size(), 3u);
    const RunResult& a = study->runs[0];
    EXPECT_EQ(a.phase, RunPhase::kDesign);
    EXPECT_EQ(a.design_cell, 0);
    EXPECT_EQ(a.status, RunStatus::kDone);
    EXPECT_EQ(a.env, (std::map<std::string, std::string>{{"GOGC", "50"}}));
    EXPECT_EQ(a.metrics.p99_ns, 1'192'230'911);  // 1192.230911 ms
    EXPECT_EQ(a.metrics.p50_ns, 3'954'687);
    EXPECT_EQ(a.metrics.cpu_ns, 299'538'000);
    EXPECT_EQ(a.metrics.heap_live_p50_bytes, int64_t{19} << 20);
    EXPECT_EQ(a.metrics.gc_cycles, 1);
    EXPECT_EQ(a.metrics.responses, 1500);
    EXPECT_EQ(a.metrics.peak_rss_bytes, 39'063'552);
    EXPECT_EQ(a.metrics.gc_periods, -1);  // and through schema 2 to 3: a fixed window
    // sqlite3 printed the stored seconds to 15 digits (1796114782.50653): 5 us either side.
    EXPECT_NEAR(static_cast<double>(a.started_unix_ns), 1796114782.50653e9, 5e3);
    const RunResult& b = study->runs[1];
    EXPECT_EQ(b.phase, RunPhase::kBaseline);
    EXPECT_FALSE(b.design_cell.has_value());  // v1 marked it -1
    EXPECT_EQ(study->runs[2].design_cell, 1);

    auto data = store->LoadRunData(a.id);
    ASSERT_TRUE(data.ok()) << data.status().message();
    ASSERT_TRUE(data->corrected.has_value());
    EXPECT_EQ(data->corrected->ValueAtPercentile(99), a.metrics.p99_ns);
    ASSERT_EQ(data->timeline.size(), 3u);
    EXPECT_EQ(data->timeline[0].p99_corrected_ns, 3'973'119);
    EXPECT_EQ(data->timeline[1].p99_corrected_ns, 5'960'919);
    EXPECT_TRUE(data->requests.records.empty());  // v1 kept no request log
    ASSERT_EQ(data->gc.cycles.size(), 6u);
    const GcCycle& c = data->gc.cycles[0];
    EXPECT_EQ(c.number, 1);
    EXPECT_EQ(c.start_ns, 14'000'000);
    EXPECT_EQ(c.heap_live_mb(), 1);
    EXPECT_EQ(c.heap_goal_mb(), 2);
    EXPECT_EQ(c.origin.printed_cpu_percent, 29);
    EXPECT_EQ(c.procs, 1);
    EXPECT_EQ(c.stacks_bytes, GcCycle::kUnknown);  // v1 did not keep them
    EXPECT_FALSE(data->gc.aligned());
  }
  // Migrated once: the file now says schema 4 and opens as it is.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'schema'", -1, &st, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)), "4");
  sqlite3_finalize(st);
  sqlite3_close(db);
  auto again = StudyStore::Open(path);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->Load(1)->runs.size(), 3u);
}

// The meta table's schema value, read with sqlite3 itself.
std::string StoredSchema(const std::string& path) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'schema'", -1, &st, nullptr), SQLITE_OK);
  std::string v = sqlite3_step(st) == SQLITE_ROW ? reinterpret_cast<const char*>(sqlite3_column_text(st, 0)) : "";
  sqlite3_finalize(st);
  sqlite3_close(db);
  return v;
}

// The real version-2 study of testdata/store/README.md (fixed windows, no
// attribution), values read from it with sqlite3 before migration.
TEST(StudyStoreMigrationTest, AVersionTwoStudyLoadsAsVersionFour) {
  const std::string path = Fresh("v2.db");
  std::filesystem::copy_file(std::string(GCPILOT_SOURCE_DIR) + "/testdata/store/study-v2.db", path);
  ASSERT_EQ(StoredSchema(path), "2");
  auto store = StudyStore::OpenExisting(path);
  ASSERT_TRUE(store.ok()) << store.status().message();
  EXPECT_EQ(StoredSchema(path), "4");
  auto study = store->Load(1);
  ASSERT_TRUE(study.ok()) << study.status().message();
  ASSERT_EQ(study->runs.size(), 3u);
  const RunResult& a = study->runs[0];
  EXPECT_EQ(a.env, (std::map<std::string, std::string>{{"GOGC", "50"}}));
  EXPECT_EQ(a.phase, RunPhase::kDesign);
  EXPECT_EQ(a.started_unix_ns, 1'796'135'487'744'065'216);
  EXPECT_EQ(a.metrics.p99_ns, 42'827'775);
  EXPECT_EQ(a.metrics.p50_ns, 2'077'695);
  EXPECT_EQ(a.metrics.gc_cycles, 1);
  EXPECT_EQ(a.metrics.heap_live_p50_bytes, 17'825'792);
  EXPECT_EQ(a.metrics.peak_rss_bytes, 32'575'488);
  EXPECT_EQ(a.metrics.cpu_ns, 251'009'000);
  // What schema 2 never measured: a fixed window, its periods unknown.
  for (const RunResult& r : study->runs) {
    EXPECT_EQ(r.metrics.gc_periods, -1) << r.id;
    EXPECT_FALSE(r.metrics.whole_periods);
    EXPECT_FALSE(r.metrics.latency_estimated);
    EXPECT_EQ(r.metrics.limit_reached_in_ns, -1);
    EXPECT_EQ(r.metrics.window_ns, 0);
    EXPECT_EQ(r.metrics.heap_peak_bytes, 0);
    EXPECT_EQ(r.metrics.live_heap_slope_bytes_per_sec, 0);
  }
  auto data = store->LoadRunData(a.id);
  ASSERT_TRUE(data.ok()) << data.status().message();
  EXPECT_EQ(data->attribution, RunAttribution{});
  EXPECT_EQ(data->requests.records.size(), 1500u);
  ASSERT_EQ(data->gc.cycles.size(), 7u);
  EXPECT_EQ(data->gc.cycles[1].start_ns, 12'000'000);
  EXPECT_EQ(data->gc.cycles[1].heap_live_bytes, 2'097'152);
  EXPECT_EQ(data->gc.load_clock_origin_ns, 21'776'709'102'142);
  EXPECT_EQ(data->gc.origin_error_ns, 47'350'461);
  ASSERT_TRUE(data->corrected.has_value());
  EXPECT_EQ(data->corrected->ValueAtPercentile(99), a.metrics.p99_ns);

  // The migrated file holds what schema 3 adds.
  RunResult again = FinishedRun(a);
  RunData full = FullData();
  ASSERT_TRUE(store->SaveRun(again, full).ok());
  EXPECT_EQ(store->Load(1)->runs[0], again);
  auto back = store->LoadAttribution(a.id);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(*back, full.attribution);
}

// A migration that cannot finish changes nothing: here a hand-made table
// stands where schema 3 puts one.
TEST(StudyStoreMigrationTest, AFailedMigrationLeavesTheVersionTwoFileAsItWas) {
  const std::string path = Fresh("v2-blocked.db");
  std::filesystem::copy_file(std::string(GCPILOT_SOURCE_DIR) + "/testdata/store/study-v2.db", path);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE heap_trend (note TEXT)", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto store = StudyStore::OpenExisting(path);
  EXPECT_EQ(store.status().code(), StatusCode::kIoError);
  EXPECT_EQ(store.status().message(), path +
                                          ": table heap_trend already exists (migrating the study database from "
                                          "schema 2 to 4; the file is left as it was)");
  EXPECT_EQ(StoredSchema(path), "2");
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT count(*) FROM pragma_table_info('run') WHERE name = 'gc_periods'", -1, &st,
                               nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(st, 0), 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
}

// The real schema-3 study of testdata/store/README.md (issue 10's): its
// runs and attributions load as they were, without traces, and the
// migrated file holds what schema 4 adds.
TEST(StudyStoreMigrationTest, AVersionThreeStudyLoadsAsVersionFour) {
  const std::string path = Fresh("v3.db");
  std::filesystem::copy_file(std::string(GCPILOT_SOURCE_DIR) + "/testdata/store/study-issue10.db", path);
  ASSERT_EQ(StoredSchema(path), "3");
  auto store = StudyStore::OpenExisting(path);
  ASSERT_TRUE(store.ok()) << store.status().message();
  EXPECT_EQ(StoredSchema(path), "4");
  auto study = store->Load(1);
  ASSERT_TRUE(study.ok()) << study.status().message();
  ASSERT_EQ(study->runs.size(), 9u);
  for (const RunResult& r : study->runs) {
    auto data = store->LoadRunData(r.id);
    ASSERT_TRUE(data.ok()) << data.status().message();
    EXPECT_FALSE(data->trace.has_value()) << r.id;
    EXPECT_EQ(data->trace_note, "");
  }
  const RunResult& a = study->runs[0];
  EXPECT_EQ(a.metrics.p99_ns, 4'000'000);
  EXPECT_EQ(study->runs[5].metrics.p99_ns, 14'020'000);
  RunData full = FullData();
  ASSERT_TRUE(store->SaveRun(FinishedRun(a), full).ok());
  auto back = store->LoadRunData(a.id);
  ASSERT_TRUE(back.ok()) << back.status().message();
  ASSERT_TRUE(back->trace.has_value());
  EXPECT_EQ(*back->trace, *full.trace);
}

// The same from schema 3: a hand-made table where schema 4 puts one.
TEST(StudyStoreMigrationTest, AFailedMigrationLeavesTheVersionThreeFileAsItWas) {
  const std::string path = Fresh("v3-blocked.db");
  std::filesystem::copy_file(std::string(GCPILOT_SOURCE_DIR) + "/testdata/store/study-issue10.db", path);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE trace_request (note TEXT)", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto store = StudyStore::OpenExisting(path);
  EXPECT_EQ(store.status().code(), StatusCode::kIoError);
  EXPECT_EQ(store.status().message(), path +
                                          ": table trace_request already exists (migrating the study database "
                                          "from schema 3 to 4; the file is left as it was)");
  EXPECT_EQ(StoredSchema(path), "3");
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master WHERE name = 'trace_summary'", -1, &st, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(st, 0), 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
}

TEST(StudyStoreMigrationTest, ANewerSchemaIsRefusedAndLeftAsItWas) {
  const std::string path = Fresh("v9.db");
  { ASSERT_TRUE(StudyStore::Open(path).ok()); }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE meta SET value = '9' WHERE key = 'schema'", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto store = StudyStore::OpenExisting(path);
  EXPECT_EQ(store.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(store.status().message(), path +
                                          ": study database schema \"9\" is newer than this gcpilot reads (up to "
                                          "4); use a newer gcpilot");
}

}  // namespace
}  // namespace gcpilot
