// gcpilot tune as a user runs it: the real binary, the real gateway, a real
// SQLite file; a study killed with SIGKILL mid-run and resumed; a target
// that cannot start.
#include <dirent.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "base/read_file.h"
#include "paygate_builds.h"
#include "run_gcpilot.h"
#include "runner/process.h"
#include "store/study_store.h"

namespace gcpilot {
namespace {

using namespace std::chrono_literals;

std::string Fresh(const std::string& name) {
  const std::string dir = ::testing::TempDir() + "gcpilot_" + name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

using testing::RunGcpilot;

// Processes whose stderr is a file under `dir` (the targets of a study).
std::set<int> TargetsWritingUnder(const std::string& dir) {
  std::set<int> pids;
  DIR* proc = opendir("/proc");
  while (dirent* e = proc ? readdir(proc) : nullptr) {
    const int pid = std::atoi(e->d_name);
    if (pid <= 0) continue;
    std::error_code ec;
    const auto link = std::filesystem::read_symlink(fmt::format("/proc/{}/fd/2", pid), ec);
    if (!ec && link.string().rfind(dir, 0) == 0) pids.insert(pid);
  }
  if (proc) closedir(proc);
  return pids;
}

TEST(TuneE2eTest, TinyStudyOfTheRealGateway) {
  const std::string dir = Fresh("tune_tiny");
  const std::string db = dir + "/study.db";
  const ExitInfo e = RunGcpilot({"tune", "--db", db, "--duration", "1s", "--warmup", "500ms", "--repeats", "1",
                                 "--rate", "300", "--json", "-q", "--min-gc-periods", "0"},
                                dir + "/out.json");
  ASSERT_EQ(e.Describe(), "exit 0") << ReadFileOrEmpty(dir + "/out.json.err");
  const auto j = nlohmann::json::parse(ReadFileOrEmpty(dir + "/out.json"));
  EXPECT_EQ(j["design"], "L9");
  const auto& a = j["analysis"];
  EXPECT_EQ(a["runs"]["failed"], 0);
  EXPECT_EQ(a["runs"]["pending"], 0);
  // 9 design cells + the default, each once, plus 0 or 1 confirmation run,
  // plus 3 verification runs each of the best setting and the default
  // (none when the default was itself the best); checked below.
  const int done = a["runs"]["done"];
  EXPECT_TRUE(a["recommendation"]["found"]);
  EXPECT_EQ(a["recommendation"]["env"].size(), 4u);
  EXPECT_EQ(a["main_effects"].size(), 4u);
  EXPECT_EQ(a["pairs"].size(), 6u);

  // The store holds every run with its histograms and GC cycles.
  auto store = StudyStore::Open(db);
  ASSERT_TRUE(store.ok());
  auto study = store->Load(j["study"]);
  ASSERT_TRUE(study.ok());
  EXPECT_EQ(study->status, StudyStatus::kDone);
  ASSERT_EQ(static_cast<int>(study->runs.size()), done);
  std::vector<const RunResult*> verified;
  for (const RunResult& r : study->runs) {
    if (r.phase == RunPhase::kVerify) verified.push_back(&r);
  }
  const int verify = static_cast<int>(verified.size());
  EXPECT_TRUE(done == 10 + verify || done == 11 + verify) << done;
  ASSERT_TRUE(verify == 0 || verify == 6) << verify;
  if (verify == 0) EXPECT_TRUE(a["recommendation"]["is_default"]);
  if (verify > 0) {
    // Alternating: the design's best setting, then the default; the verdict
    // is on the verified setting (or keeps the default if it lost).
    const std::map<std::string, std::string> dflt = {
        {"GOGC", "100"}, {"GOMEMLIMIT", "off"}, {"GOMAXPROCS", ""}, {"PAYGATE_POOL", "0"}};
    for (size_t i = 0; i < verified.size(); ++i) {
      EXPECT_EQ(verified[i]->env, i % 2 ? dflt : verified[0]->env) << i;
    }
    std::vector<std::string> env_lines;
    for (const auto& [k, v] : verified[0]->env) env_lines.push_back(v.empty() ? "unset " + k : k + "=" + v);
    std::vector<std::string> got = a["recommendation"]["env"];
    std::sort(got.begin(), got.end());
    if (a["recommendation"]["is_default"]) {
      EXPECT_EQ(a["recommendation"]["warnings"][0].get<std::string>().rfind("the design's best setting", 0), 0u);
    } else {
      EXPECT_EQ(got, env_lines);
      EXPECT_TRUE(a["recommendation"]["verified"]);
    }
  }
  for (const RunResult& r : study->runs) {
    EXPECT_EQ(r.status, RunStatus::kDone) << r.reason;
    EXPECT_EQ(r.exit, "exit 0");
    EXPECT_EQ(r.metrics.errors, 0);
    EXPECT_EQ(r.metrics.responses, 300);  // 1 s at 300/s
    auto h = store->LoadHistogram(r.id, "corrected");
    ASSERT_TRUE(h.ok());
    EXPECT_EQ(h->total_count(), 300);
    EXPECT_EQ(h->ValueAtPercentile(99), r.metrics.p99_ns);
    auto cycles = store->LoadGcTimeline(r.id);
    ASSERT_TRUE(cycles.ok());
    EXPECT_GE(cycles->cycles.size(), 1u);  // the 32 MiB prefill alone takes one even at GOGC=400
    EXPECT_GT(r.metrics.peak_rss_bytes, int64_t{32} << 20);
    // Known for every run (cycles before the window give GOMAXPROCS).
    EXPECT_GE(r.metrics.gc_cpu_share, 0);
    EXPECT_LT(r.metrics.gc_cpu_share, 1);
  }
}

void WriteSpec(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

// A small study of the real gateway over GOGC 50/200 (plus the default):
// `duration` of load at 200/s per run and the given [design] lines.
std::string GogcStudy(const std::string& duration, const std::string& design) {
  return fmt::format(R"(
[target]
command = ["{}", "-addr", "127.0.0.1:{{port}}", "-live-mb", "16"]
ready = "http://127.0.0.1:{{port}}/healthz"
[load]
url = "http://127.0.0.1:{{port}}/healthz"
rate = "200"
duration = "{}"
warmup = "0s"
min_gc_periods = 0
[[factor]]
name = "GOGC"
levels = ["50", "200"]
[design]
type = "full"
{}
)",
                     GCPILOT_PAYGATE, duration, design);
}

TEST(TuneE2eTest, KilledStudyResumesWithoutRedoingRuns) {
  const std::string dir = Fresh("tune_resume");
  const std::string db = dir + "/study.db", spec = dir + "/study.toml";
  WriteSpec(spec, GogcStudy("2s", "repeats = 2\nconfirm = false"));
  auto tune = Process::Start({.argv = {GCPILOT_BINARY, "tune", "--spec", spec, "--db", db, "-q"},
                              .stdout_path = dir + "/first.out",
                              .stderr_path = dir + "/first.err"});
  ASSERT_TRUE(tune.ok());
  // Wait until two runs are stored, then kill -9 in the middle of the next.
  std::vector<RunResult> before;
  for (int i = 0; i < 600; ++i) {
    std::this_thread::sleep_for(100ms);
    auto store = StudyStore::Open(db);
    if (!store.ok()) continue;
    auto id = store->Latest();
    if (!id.ok() || !*id) continue;
    auto st = store->Load(**id);
    if (!st.ok()) continue;
    int done = 0;
    for (const RunResult& r : st->runs) done += r.status == RunStatus::kDone;
    if (done >= 2) {
      std::this_thread::sleep_for(500ms);  // into the third run
      before = st->runs;
      break;
    }
  }
  ASSERT_FALSE(before.empty()) << ReadFileOrEmpty(dir + "/first.err");
  kill(tune->pid(), SIGKILL);
  const ExitInfo killed = tune->Stop(10s);
  EXPECT_EQ(killed.Describe(), "killed by SIGKILL");
  // The target of the interrupted run died with gcpilot.
  std::set<int> left;
  for (int i = 0; i < 50; ++i) {
    left = TargetsWritingUnder(db + ".runs");
    if (left.empty()) break;
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_TRUE(left.empty()) << "targets still running: " << left.size();

  const ExitInfo e = RunGcpilot({"tune", "--resume", "--db", db, "--json", "-q"}, dir + "/resume.json");
  ASSERT_EQ(e.Describe(), "exit 0") << ReadFileOrEmpty(dir + "/resume.json.err");
  auto store = StudyStore::Open(db);
  ASSERT_TRUE(store.ok());
  auto after = store->Load(1);
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->runs.size(), 6u);  // 2 settings x 2 + the default x 2
  EXPECT_EQ(after->status, StudyStatus::kDone);
  for (size_t i = 0; i < after->runs.size(); ++i) {
    const RunResult& r = after->runs[i];
    EXPECT_EQ(r.status, RunStatus::kDone) << r.reason;
    if (before[i].status == RunStatus::kDone) {
      // Finished before the kill: kept as it was, not run again.
      EXPECT_EQ(r.started_unix_ns, before[i].started_unix_ns);
      EXPECT_EQ(r.metrics.p99_ns, before[i].metrics.p99_ns);
    }
  }
  const auto j = nlohmann::json::parse(ReadFileOrEmpty(dir + "/resume.json"));
  EXPECT_EQ(j["analysis"]["runs"]["done"], 6);
  for (const RunResult& r : after->runs) EXPECT_EQ(r.metrics.errors, 0);
  // Nothing left to resume.
  const ExitInfo again = RunGcpilot({"tune", "--resume", "--db", db}, dir + "/again.out");
  EXPECT_EQ(again.Describe(), "exit 1");
  EXPECT_EQ(ReadFileOrEmpty(dir + "/again.out.err"), "gcpilot tune: no unfinished study to resume in this database\n");
}

TEST(TuneE2eTest, RefinementTriesMidpointsAroundTheBestSetting) {
  const std::string dir = Fresh("tune_refine");
  const std::string db = dir + "/study.db", spec = dir + "/study.toml";
  WriteSpec(spec, GogcStudy("1s", "repeats = 1\nconfirm = false\nrefine = true"));
  const ExitInfo e = RunGcpilot({"tune", "--spec", spec, "--db", db, "--json", "-q"}, dir + "/out.json");
  ASSERT_EQ(e.Describe(), "exit 0") << ReadFileOrEmpty(dir + "/out.json.err");
  auto store = StudyStore::Open(db);
  ASSERT_TRUE(store.ok());
  auto st = store->Load(1);
  ASSERT_TRUE(st.ok());
  // The design: GOGC=50, GOGC=200 and the default (GOGC=100), once each.
  const RunResult* best_first = nullptr;
  std::set<std::string> refined;
  for (const RunResult& r : st->runs) {
    EXPECT_EQ(r.status, RunStatus::kDone) << r.reason;
    if (r.phase == RunPhase::kRefine) {
      refined.insert(r.env.at("GOGC"));
      EXPECT_EQ(r.levels, std::vector<int>{-1});  // not a design level
    } else if (!best_first || r.metrics.p99_ns < best_first->metrics.p99_ns) {
      best_first = &r;
    }
  }
  ASSERT_NE(best_first, nullptr);
  // Midpoints between the best value and its neighbouring levels.
  const std::string b = best_first->env.at("GOGC");
  const std::set<std::string> want = b == "100" ? std::set<std::string>{"75", "150"} : std::set<std::string>{"125"};
  EXPECT_EQ(refined, want) << "best of the design: GOGC=" << b;
  EXPECT_EQ(st->runs.size(), 3 + want.size());
  // The recommendation is chosen among every run, the refined ones too.
  const RunResult* best_all = &st->runs[0];
  for (const RunResult& r : st->runs) {
    if (r.metrics.p99_ns < best_all->metrics.p99_ns) best_all = &r;
  }
  const auto j = nlohmann::json::parse(ReadFileOrEmpty(dir + "/out.json"));
  EXPECT_EQ(j["analysis"]["recommendation"]["env"][0], "GOGC=" + best_all->env.at("GOGC"));
}

// Any Go service, from the command line alone: argv after --, {port},
// readiness and load URLs, factors as flags. The knob must reach the
// target: its own gctrace shows each goal at (1 + GOGC/100) x the heap the
// previous cycle marked. Run against every gateway build: the stored cycles
// come from each runtime's own gctrace lines. A 128 MiB history makes the
// prefill itself run 3+ cycles past 8 MB live at GOGC=200 on both builds
// (Go 1.26 lays the orders out smaller: with 32 MiB its first cycle marked
// 7 MB and the load at 200/s ran no cycle at all).
class TuneCommandLineTest : public ::testing::TestWithParam<testing::GoRole> {};

TEST_P(TuneCommandLineTest, StudyOfAnyService) {
  PAYGATE_BUILD_OR_SKIP(build);
  const std::string dir = Fresh("tune_cmdline_" + build.go);
  const std::string db = dir + "/study.db";
  const ExitInfo e = RunGcpilot({"tune",
                                 "--db",
                                 db,
                                 "--ready",
                                 "http://127.0.0.1:{port}/healthz",
                                 "--url",
                                 "http://127.0.0.1:{port}/v1/orders/ord_1",
                                 "--factor",
                                 "GOGC=50,200",
                                 "--rate",
                                 "200",
                                 "--duration",
                                 "1s",
                                 "--warmup",
                                 "0s",
                                 "--min-gc-periods",
                                 "0",
                                 "--repeats",
                                 "1",
                                 "--json",
                                 "-q",
                                 "--",
                                 build.path,
                                 "-addr",
                                 "127.0.0.1:{port}",
                                 "-live-mb",
                                 "128"},
                                dir + "/out.json");
  ASSERT_EQ(e.Describe(), "exit 0") << ReadFileOrEmpty(dir + "/out.json.err");
  const auto j = nlohmann::json::parse(ReadFileOrEmpty(dir + "/out.json"));
  EXPECT_EQ(j["design"], "full factorial");
  EXPECT_EQ(j["analysis"]["runs"]["done"], 3);  // GOGC=50, 200 and the default
  auto store = StudyStore::Open(db);
  ASSERT_TRUE(store.ok());
  auto st = store->Load(1);
  ASSERT_TRUE(st.ok());
  std::set<std::string> seen;
  for (const RunResult& r : st->runs) {
    ASSERT_EQ(r.status, RunStatus::kDone) << r.reason;
    EXPECT_EQ(r.metrics.responses, 200);
    const std::string gogc = r.env.at("GOGC");
    seen.insert(gogc);
    auto cycles = store->LoadGcTimeline(r.id);
    ASSERT_TRUE(cycles.ok());
    std::vector<double> ratios;
    for (size_t i = 1; i < cycles->cycles.size(); ++i) {
      const GcCycle& prev = cycles->cycles[i - 1];
      // Sizes are printed in whole MB: from 8 MB on, truncation moves a
      // ratio by less than 15%.
      if (prev.heap_live_mb() >= 8 && !cycles->cycles[i].forced) {
        ratios.push_back(static_cast<double>(cycles->cycles[i].heap_goal_mb()) / prev.heap_live_mb());
      }
    }
    ASSERT_FALSE(ratios.empty()) << "GOGC=" << gogc;
    std::sort(ratios.begin(), ratios.end());
    const double median = ratios[ratios.size() / 2];
    const double want = gogc.empty() ? 2.0 : 1 + std::stod(gogc) / 100;  // unset: the runtime's 100
    EXPECT_NEAR(median, want, 0.15 * want) << "GOGC=" << (gogc.empty() ? "unset" : gogc);
  }
  EXPECT_EQ(seen.size(), 3u);
}

INSTANTIATE_TEST_SUITE_P(Builds, TuneCommandLineTest,
                         ::testing::Values(testing::GoRole::kGo119, testing::GoRole::kNewest), testing::GoRoleName);

TEST(TuneE2eTest, FailingTargetFailsEveryRunWithItsReason) {
  const std::string dir = Fresh("tune_failing");
  const std::string db = dir + "/study.db";
  const ExitInfo e =
      RunGcpilot({"tune", "--spec", std::string(GCPILOT_SOURCE_DIR) + "/testdata/tune/failing-target.toml", "--db", db,
                  "--json", "-q"},
                 dir + "/out.json");
  EXPECT_EQ(e.Describe(), "exit 1");
  const auto j = nlohmann::json::parse(ReadFileOrEmpty(dir + "/out.json"));
  EXPECT_EQ(j["analysis"]["runs"]["failed"], 3);  // 2 settings + the default
  EXPECT_EQ(j["analysis"]["runs"]["done"], 0);
  EXPECT_FALSE(j["analysis"]["recommendation"]["found"]);
  auto store = StudyStore::Open(db);
  ASSERT_TRUE(store.ok());
  auto st = store->Load(1);
  ASSERT_TRUE(st.ok());
  for (const RunResult& r : st->runs) {
    EXPECT_EQ(r.status, RunStatus::kFailed);
    EXPECT_EQ(r.reason, "exited before it was ready (exit 3); stderr: boom: cannot open config");
  }
  // The target's output files carry the run numbers progress and the report show.
  for (const char* name : {"run-001.stderr", "run-002.stderr", "run-003.stderr", "run-003.stdout"}) {
    EXPECT_TRUE(std::filesystem::exists(db + ".runs/" + name)) << name;
  }
  EXPECT_FALSE(std::filesystem::exists(db + ".runs/run-000.stderr"));
  EXPECT_FALSE(std::filesystem::exists(db + ".runs/run-004.stderr"));
  // A target that dies silently: the reason says so; the study goes on.
  const std::string db2 = dir + "/silent.db";
  const ExitInfo silent =
      RunGcpilot({"tune", "--db", db2, "--ready", "http://127.0.0.1:{port}/healthz", "--factor", "GOGC=50,200",
                  "--repeats", "1", "--duration", "1s", "--json", "-q", "--", "/bin/false", "{port}"},
                 dir + "/silent.json");
  EXPECT_EQ(silent.Describe(), "exit 1") << ReadFileOrEmpty(dir + "/silent.json.err");
  auto store2 = StudyStore::Open(db2);
  ASSERT_TRUE(store2.ok());
  auto st2 = store2->Load(1);
  ASSERT_TRUE(st2.ok());
  EXPECT_EQ(st2->runs.size(), 3u);
  for (const RunResult& r : st2->runs) {
    EXPECT_EQ(r.reason, "exited before it was ready (exit 1); it wrote nothing to stderr");
  }
}

}  // namespace
}  // namespace gcpilot
