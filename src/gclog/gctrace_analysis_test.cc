#include "gclog/gctrace_analysis.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "gclog/gctrace_report.h"
#include "gclog/gctrace_test_util.h"
#include "model/gc_cpu.h"

namespace gcpilot {
namespace {

GctraceSummary Summarize(std::string_view log) {
  GctraceAnalyzer a;
  GctraceReader r({}, [&](const GcCycle& c) { a.Add(c); });
  EXPECT_TRUE(r.Feed(log).ok());
  EXPECT_TRUE(r.Finish().ok());
  return a.Summarize(r.stats());
}

bool HasFinding(const GctraceSummary& s, const std::string& code, Severity sev) {
  for (const Finding& f : s.findings) {
    if (f.code == code && f.severity == sev) return true;
  }
  return false;
}

// Expected values below were computed independently of this code (a regex
// pass over the same file in Python with exact fractions).
TEST(GctraceAnalysisTest, Go15PublicLog) {
  std::string log;
  READ_PUBLIC_FIXTURE_OR_SKIP("src-01.log", &log);
  const GctraceSummary s = Summarize(log);
  EXPECT_EQ(s.cycles, 130);
  EXPECT_EQ(s.segments, 1);
  EXPECT_EQ(s.span_ns, 11'377'000'000);
  EXPECT_NEAR(s.cycles_per_sec, 11.338665729102575, 1e-9);
  EXPECT_EQ(s.stw_ns.p50, 651'000);
  EXPECT_EQ(s.stw_ns.p99, 4'800'000);
  EXPECT_EQ(s.stw_ns.max, 4'954'000);
  EXPECT_EQ(s.heap_live_mb.p50, 10);
  EXPECT_EQ(s.heap_peak_mb, 131);
  EXPECT_EQ(s.overshoot_cycles, 45);
  EXPECT_EQ(s.overshoot_max_mb, 12);
  EXPECT_EQ(s.gaps, 129);
  EXPECT_EQ(s.short_gaps, 43);
  EXPECT_NEAR(s.gc_cpu_share, 0.10315907093258328, 1e-9);
  // Wall time in GC: every cycle's clock terms over each run's first @ to
  // its last cycle's end (the last cycle counted too).
  EXPECT_NEAR(s.gc_wall_share, 0.2695969594511907, 1e-12);
  // Concurrent mark is scan + sync Ps + mark (the three middle terms).
  EXPECT_EQ(s.mark_ns.p50, 11'109'000);
  EXPECT_EQ(s.mark_ns.max, 83'131'000);
  EXPECT_NEAR(s.assist_share, 0.3164, 1e-4);
  EXPECT_EQ(s.cpu_percent_last, 10);
  EXPECT_EQ(s.procs_seen, std::set<int32_t>{4});
  EXPECT_TRUE(HasFinding(s, "assist-heavy", Severity::kWarning));
  EXPECT_TRUE(HasFinding(s, "frequent", Severity::kWarning));
  EXPECT_EQ(s.findings.front().severity, Severity::kWarning);
}

// Go 1.5's five cpu terms: the scan and sync-Ps terms are GC CPU of their
// own, so the split's parts (assist, background, scan+sync, STW) make up
// all of it. Totals from the same independent pass with exact fractions.
TEST(GctraceAnalysisTest, Go15CpuSplitIncludesTheScanPhase) {
  std::string log;
  READ_PUBLIC_FIXTURE_OR_SKIP("src-01.log", &log);
  const GctraceSummary s = Summarize(log);
  EXPECT_EQ(s.cpu_other_ns, 2'660'010'000);
  EXPECT_EQ(s.cpu_assist_ns, 1'522'607'000);
  EXPECT_EQ(s.cpu_background_ns, 261'731'000);
  EXPECT_EQ(s.cpu_stw_ns, 367'535'000);
  EXPECT_EQ(s.cpu_idle_ns, 3'189'973'000);
  EXPECT_DOUBLE_EQ(s.gc_cpu_ns(), 4'811'883'000.0);
  EXPECT_EQ(s.formats_seen, std::set<GctraceFormat>{GctraceFormat::kFivePhase});
}

TEST(GctraceAnalysisTest, Go118PublicLogWithRestarts) {
  std::string log;
  READ_PUBLIC_FIXTURE_OR_SKIP("src-02.log", &log);
  const GctraceSummary s = Summarize(log);
  EXPECT_EQ(s.cycles, 95);
  EXPECT_EQ(s.segments, 4);  // the counter restarts three times
  EXPECT_EQ(s.missing_cycles, 0);
  EXPECT_EQ(s.span_ns, 9'826'000'000);
  EXPECT_NEAR(s.cycles_per_sec, 9.261143903928353, 1e-9);
  EXPECT_EQ(s.stw_ns.p50, 48'000);
  EXPECT_EQ(s.stw_ns.p99, 1'355'000);
  EXPECT_EQ(s.heap_live_mb.p50, 102);
  EXPECT_EQ(s.heap_peak_mb, 235);
  EXPECT_EQ(s.overshoot_cycles, 10);
  EXPECT_EQ(s.gaps, 91);
  EXPECT_EQ(s.short_gaps, 21);
  EXPECT_NEAR(s.gc_cpu_share, 0.1419049715041726, 1e-9);
  EXPECT_NEAR(s.gc_wall_share, 0.39162194175121734, 1e-12);  // four runs, each to its last cycle's end
  EXPECT_NEAR(s.assist_share, 0.3546, 1e-4);
  EXPECT_EQ(s.stacks_mb_max, 0);
  EXPECT_EQ(s.formats_seen, std::set<GctraceFormat>{GctraceFormat::kStacksGlobals});
}

// A synthetic log in the shape a GOMEMLIMIT death spiral prints: live 290
// MB, goal 300 MB, each cycle 80 ms of mark starting 20 ms after the last.
TEST(GctraceAnalysisTest, DetectsLimitBoundBackToBack) {
  std::string log;
  for (int i = 1; i <= 20; ++i) {
    log += "gc " + std::to_string(i) + " @" + std::to_string(i / 10) + "." + std::to_string(i % 10) +
           "00s 45%: 0.050+80+0.10 ms clock, 0.10+60/40/0+0.20 ms cpu, "
           "300->305->290 MB, 300 MB goal, 0 MB stacks, 0 MB globals, 2 P\n";
  }
  const GctraceSummary s = Summarize(log);
  EXPECT_EQ(s.cycles, 20);
  EXPECT_EQ(s.span_ns, 1'900'000'000);
  EXPECT_EQ(s.gaps, 19);
  EXPECT_EQ(s.short_gaps, 0);
  // 20 cycles of 80.15 ms over 1.9 s of span plus the last one's 80.15 ms.
  EXPECT_NEAR(s.gc_wall_share, 20 * 80.15 / (1900.0 + 80.15), 1e-12);
  // 19 cycles x 100.3 ms GC CPU over 2 P x 1.9 s.
  EXPECT_NEAR(s.gc_cpu_share, 19 * 100.3 / 3800.0, 1e-12);
  EXPECT_DOUBLE_EQ(s.goal_over_prev_live_p50, 1.034);
  EXPECT_EQ(s.overshoot_cycles, 20);
  EXPECT_TRUE(HasFinding(s, "back-to-back", Severity::kCritical));
  EXPECT_TRUE(HasFinding(s, "limit-bound", Severity::kCritical));
  EXPECT_TRUE(HasFinding(s, "gc-cpu", Severity::kCritical));
  EXPECT_TRUE(HasFinding(s, "assist-heavy", Severity::kCritical));
  EXPECT_EQ(s.findings.front().code, "back-to-back");
}

// A heap that grows while marking (a cache filling up) ends each cycle with
// more live heap than the goal the pacer set from the previous cycle; that
// is GOGC at work, not a memory limit. Shapes from a real paygate prefill.
TEST(GctraceAnalysisTest, GrowingHeapIsNotLimitBound) {
  const std::string log =
      "gc 5 @0.472s 35%: 0.025+429+0.004 ms clock, 0.025+93/106/24+0.004 ms "
      "cpu, 200->283->273 MB, 235 MB goal, 0 MB stacks, 0 MB globals, 1 P\n"
      "gc 6 @0.910s 17%: 0.032+1285+0.003 ms clock, 0.032+101/327/0.70+0.003 "
      "ms cpu, 466->590->429 MB, 547 MB goal, 0 MB stacks, 0 MB globals, 1 P\n"
      "gc 7 @2.200s 18%: 0.044+1711+0.003 ms clock, 0.044+174/437/0.37+0.003 "
      "ms cpu, 731->886->552 MB, 859 MB goal, 0 MB stacks, 0 MB globals, 1 P\n";
  const GctraceSummary s = Summarize(log);
  ASSERT_EQ(s.cycles, 3);
  // 547/273 = 2.003 and 859/429 = 2.002: GOGC=100 doubling, median of two
  // permille values rounds to the lower one's nearest rank.
  EXPECT_DOUBLE_EQ(s.goal_over_prev_live_p50, 2.002);
  EXPECT_TRUE(HasFinding(s, "back-to-back", Severity::kCritical));
  EXPECT_FALSE(HasFinding(s, "limit-bound", Severity::kCritical));
}

// The Go 1.19 fixtures were recorded from the bundled gateway under load
// (scripts/drive_paygate.sh; see testdata/gctrace/README.md). Expected
// values come from an independent regex pass with exact fractions.
std::string ReadProjectFixture(const std::string& name) {
  std::string log;
  const std::string path = ::gcpilot::testing::SourceDir() + "/testdata/gctrace/" + name;
  EXPECT_TRUE(::gcpilot::testing::ReadFile(path, &log)) << path;
  return log;
}

TEST(GctraceAnalysisTest, PaygateGo119DefaultSettings) {
  const GctraceSummary s = Summarize(ReadProjectFixture("paygate-go119-default.log"));
  EXPECT_EQ(s.cycles, 13);
  EXPECT_EQ(s.parse.other_lines, 3);  // the gateway's own stderr lines
  EXPECT_EQ(s.parse.malformed, 0);
  EXPECT_EQ(s.forced_cycles, 2);
  EXPECT_EQ(s.span_ns, 16'528'000'000);
  EXPECT_NEAR(s.cycles_per_sec, 0.7260406582768636, 1e-12);
  EXPECT_NEAR(s.gc_wall_share, 0.5674630491377632, 1e-12);
  EXPECT_NEAR(s.gc_cpu_share, 0.1771939133591481, 1e-12);
  EXPECT_NEAR(s.assist_share, 0.2099005410308744, 1e-12);
  EXPECT_EQ(s.gaps, 12);
  EXPECT_EQ(s.short_gaps, 1);
  // GOGC=100: each goal is twice what the previous cycle marked.
  EXPECT_DOUBLE_EQ(s.goal_over_prev_live_p50, 2.002);
  EXPECT_EQ(s.stw_ns.p50, 29'000);
  EXPECT_EQ(s.stw_ns.max, 51'000);
  EXPECT_EQ(s.mark_ns.p50, 639'000'000);
  EXPECT_EQ(s.mark_ns.max, 2'411'000'000);
  EXPECT_EQ(s.heap_live_mb.p50, 263);
  EXPECT_EQ(s.heap_peak_mb, 1126);
  EXPECT_EQ(s.overshoot_cycles, 9);
  EXPECT_EQ(s.overshoot_max_mb, 31);
  EXPECT_EQ(s.procs_seen, std::set<int32_t>{1});
  EXPECT_EQ(s.cpu_percent_last, 18);
  EXPECT_TRUE(HasFinding(s, "back-to-back", Severity::kCritical));
  EXPECT_FALSE(HasFinding(s, "limit-bound", Severity::kCritical));
}

// GOMEMLIMIT=400MiB over a 256 MiB history: the death spiral, live.
TEST(GctraceAnalysisTest, PaygateGo119MemoryLimitSpiral) {
  const GctraceSummary s = Summarize(ReadProjectFixture("paygate-go119-memlimit.log"));
  EXPECT_EQ(s.cycles, 25);
  EXPECT_EQ(s.span_ns, 14'428'000'000);
  EXPECT_NEAR(s.gc_wall_share, 0.909588262909666, 1e-12);
  EXPECT_NEAR(s.gc_cpu_share, 0.5815900332686443, 1e-12);
  EXPECT_NEAR(s.assist_share, 0.5992165353451931, 1e-12);
  EXPECT_EQ(s.gaps, 24);
  EXPECT_EQ(s.short_gaps, 14);
  EXPECT_DOUBLE_EQ(s.goal_over_prev_live_p50, 1.0);
  EXPECT_EQ(s.heap_live_mb.p50, 364);
  EXPECT_EQ(s.heap_peak_mb, 532);
  EXPECT_EQ(s.overshoot_cycles, 20);
  EXPECT_EQ(s.overshoot_max_mb, 74);
  EXPECT_EQ(s.cpu_percent_last, 58);
  ASSERT_GE(s.findings.size(), 4u);
  EXPECT_EQ(s.findings[0].code, "back-to-back");
  EXPECT_EQ(s.findings[1].code, "limit-bound");
  EXPECT_EQ(s.findings[2].code, "gc-cpu");
  EXPECT_EQ(s.findings[3].code, "assist-heavy");
}

// GOGC=200, GOMAXPROCS=2, PAYGATE_POOL=1: goals three times the marked heap.
TEST(GctraceAnalysisTest, PaygateGo119Gogc200TwoProcs) {
  const GctraceSummary s = Summarize(ReadProjectFixture("paygate-go119-gogc200-pool-2p.log"));
  EXPECT_EQ(s.cycles, 8);
  EXPECT_EQ(s.forced_cycles, 1);
  EXPECT_EQ(s.span_ns, 15'674'000'000);
  EXPECT_NEAR(s.gc_cpu_share, 0.11468039428352686, 1e-12);
  EXPECT_NEAR(s.assist_share, 0.21244578879911968, 1e-12);
  EXPECT_EQ(s.gaps, 7);
  EXPECT_EQ(s.short_gaps, 0);
  EXPECT_DOUBLE_EQ(s.goal_over_prev_live_p50, 3.013);
  EXPECT_EQ(s.stw_ns.max, 1'204'000);
  EXPECT_EQ(s.heap_peak_mb, 1367);
  EXPECT_EQ(s.procs_seen, std::set<int32_t>{2});
  EXPECT_FALSE(HasFinding(s, "limit-bound", Severity::kCritical));
}

// Go 1.26.8 (Green Tea GC), the same drive as paygate-go119-default.log:
// the cycle line keeps the 1.19 shape. Values from an independent regex
// pass with exact fractions.
TEST(GctraceAnalysisTest, PaygateGo126DefaultSettings) {
  const GctraceSummary s = Summarize(ReadProjectFixture("paygate-go126-default.log"));
  EXPECT_EQ(s.cycles, 14);
  EXPECT_EQ(s.parse.lines, 17);
  EXPECT_EQ(s.parse.other_lines, 3);
  EXPECT_EQ(s.parse.malformed, 0);
  EXPECT_EQ(s.parse.scan_lines, 0);
  EXPECT_EQ(s.parse.out_of_range, 0);
  EXPECT_EQ(s.formats_seen, std::set<GctraceFormat>{GctraceFormat::kStacksGlobals});
  EXPECT_EQ(s.forced_cycles, 2);
  EXPECT_EQ(s.span_ns, 16'818'000'000);
  EXPECT_NEAR(s.gc_cpu_share, 0.11403002735164705, 1e-12);
  EXPECT_NEAR(s.gc_wall_share, 0.4650299885811837, 1e-12);
  EXPECT_NEAR(s.assist_share, 0.023891706056866514, 1e-12);
  EXPECT_EQ(s.gaps, 13);
  EXPECT_EQ(s.short_gaps, 2);
  EXPECT_EQ(s.stw_ns.max, 70'000);
  EXPECT_EQ(s.mark_ns.max, 1'717'000'000);
  EXPECT_EQ(s.heap_peak_mb, 853);
  EXPECT_EQ(s.overshoot_cycles, 4);
  EXPECT_EQ(s.cpu_percent_last, 12);
  EXPECT_EQ(s.procs_seen, std::set<int32_t>{1});
}

// GODEBUG=gctrace=2 on Go 1.26.8: each cycle line is followed by a `scan:
// total` line and one `scan: class` line per size class scanned; none of
// them is application output or a skipped cycle line.
TEST(GctraceAnalysisTest, PaygateGo126Gctrace2ScanLines) {
  const GctraceSummary s = Summarize(ReadProjectFixture("paygate-go126-gctrace2.log"));
  EXPECT_EQ(s.parse.lines, 509);
  EXPECT_EQ(s.cycles, 12);
  EXPECT_EQ(s.parse.scan_lines, 494);  // 12 totals + 482 per-class lines
  EXPECT_EQ(s.parse.other_lines, 3);   // the gateway's own lines
  EXPECT_EQ(s.parse.malformed, 0);
  EXPECT_EQ(s.forced_cycles, 1);
  EXPECT_EQ(s.span_ns, 10'579'000'000);
  EXPECT_NEAR(s.gc_cpu_share, 0.08184190377162302, 1e-12);
  EXPECT_NEAR(s.assist_share, 0.016776000822973626, 1e-12);
  EXPECT_EQ(s.gaps, 11);
  EXPECT_EQ(s.short_gaps, 1);
  EXPECT_EQ(s.stw_ns.max, 1'204'000);
  EXPECT_EQ(s.heap_peak_mb, 627);
  EXPECT_EQ(s.procs_seen, std::set<int32_t>{2});
  // Cycle 5 sits on line 151, after 4 cycles' scan lines.
  std::vector<GcCycle> cycles;
  GctraceReader r({}, [&](const GcCycle& c) { cycles.push_back(c); });
  ASSERT_TRUE(r.Feed(ReadProjectFixture("paygate-go126-gctrace2.log")).ok());
  ASSERT_TRUE(r.Finish().ok());
  ASSERT_EQ(cycles.size(), 12u);
  const GcCycle& c = cycles[4];
  EXPECT_EQ(c.number, 5);
  EXPECT_EQ(c.origin.line, 151);
  EXPECT_EQ(c.start_ns, 190'000'000);
  EXPECT_EQ(c.origin.printed_cpu_percent, 19);
  EXPECT_EQ(c.sweep_term_ns, 180'000);
  EXPECT_EQ(c.mark_ns, 129'000'000);
  EXPECT_EQ(c.mark_term_ns, 50'000);
  EXPECT_EQ(c.cpu_assist_ns, 7'900'000);
  EXPECT_EQ(c.cpu_background_ns, 69'000'000);
  EXPECT_EQ(c.cpu_idle_ns, 88'000'000);
  EXPECT_EQ(c.heap_start_mb(), 102);
  EXPECT_EQ(c.heap_end_mb(), 122);
  EXPECT_EQ(c.heap_live_mb(), 116);
  EXPECT_EQ(c.heap_goal_mb(), 120);
  EXPECT_EQ(c.procs, 2);
}

// The /metrics scrape taken right after the load of
// paygate-go126-default.log agrees with that log: the runtime had finished
// 11 cycles (gc 12 @14.165s was still marking for 1717 ms), none forced
// yet, and the goal in force was gc 12's.
TEST(GctraceAnalysisTest, PaygateGo126MetricsScrapeAgreesWithItsLog) {
  std::string prom;
  const std::string path = ::gcpilot::testing::SourceDir() + "/testdata/metrics/paygate-go126-default.prom";
  ASSERT_TRUE(::gcpilot::testing::ReadFile(path, &prom)) << path;
  auto value = [&prom](const std::string& name) -> std::string {
    const size_t at = prom.find("\n" + name + " ");
    if (at == std::string::npos) return "missing";
    const size_t from = at + name.size() + 2;
    return prom.substr(from, prom.find('\n', from) - from);
  };
  EXPECT_EQ(value("go_info{version=\"go1.26.8\"}"), "1");
  EXPECT_EQ(value("go_gc_cycles_total_gc_cycles_total"), "11");
  EXPECT_EQ(value("go_gc_cycles_forced_gc_cycles_total"), "0");
  EXPECT_EQ(value("go_gc_duration_seconds_count"), "11");
  EXPECT_EQ(value("go_sched_gomaxprocs_threads"), "1");
  EXPECT_EQ(value("go_gc_gogc_percent"), "100");
  std::vector<GcCycle> cycles;
  GctraceReader r({}, [&](const GcCycle& c) { cycles.push_back(c); });
  ASSERT_TRUE(r.Feed(ReadProjectFixture("paygate-go126-default.log")).ok());
  ASSERT_TRUE(r.Finish().ok());
  ASSERT_EQ(cycles.size(), 14u);
  EXPECT_EQ(cycles[11].number, 12);
  EXPECT_EQ(std::stoll(value("go_gc_heap_goal_bytes")) >> 20, cycles[11].heap_goal_mb());
}

// The GC CPU of a measured window, from the gateway's real log (1 P):
// gc 9 @5.844s (0.033+132/383/1.7+0.004 ms cpu) and gc 10 @9.128s
// (0.035+109/605/3.0+0.003) begin in [5 s, 10 s): 1229.075 ms of 5000.
TEST(GctraceAnalysisTest, WindowGcCpuShare) {
  std::vector<GcCycle> cycles;
  GctraceReader r({}, [&](const GcCycle& c) { cycles.push_back(c); });
  ASSERT_TRUE(r.Feed(ReadProjectFixture("paygate-go119-default.log")).ok());
  ASSERT_TRUE(r.Finish().ok());
  EXPECT_DOUBLE_EQ(WindowGcCpuShare(cycles, 5'000'000'000, 10'000'000'000), 1229.075 / 5000);
  // No cycle began in [10 s, 13 s): no GC CPU there, not "unknown".
  EXPECT_EQ(WindowGcCpuShare(cycles, 10'000'000'000, 13'000'000'000), 0);
  // Before the first cycle GOMAXPROCS is unknown; an empty window too.
  EXPECT_EQ(WindowGcCpuShare(cycles, 0, 5'000'000), -1);
  EXPECT_EQ(WindowGcCpuShare(cycles, 7'000'000'000, 7'000'000'000), -1);
  EXPECT_EQ(WindowGcCpuShare({}, 0, 1'000'000'000), -1);
}

TEST(GctraceAnalysisTest, GapsInNumbersAreMissingCycles) {
  const std::string tail =
      "s 1%: 0.010+1.0+0.020 ms clock, 0.020+0/1.0/0+0.040 ms cpu, 8->9->4 "
      "MB, 8 MB goal, 2 P\n";
  const GctraceSummary s = Summarize("gc 5 @1.000" + tail + "gc 9 @2.000" + tail);
  EXPECT_EQ(s.cycles, 2);
  EXPECT_EQ(s.missing_cycles, 3);
  EXPECT_EQ(s.segments, 1);
  EXPECT_NEAR(s.assist_share, 0.0, 1e-12);
  EXPECT_FALSE(HasFinding(s, "assist-heavy", Severity::kWarning));
  EXPECT_TRUE(HasFinding(s, "few-cycles", Severity::kInfo));
  EXPECT_TRUE(HasFinding(s, "stw", Severity::kInfo));
}

// One cycle: no interval, so no rate, no share over time, no goal ratio
// (-1: "-" in the table, null in JSON); nothing "dominates" in a pause of
// zero; plurals are singular.
TEST(GctraceAnalysisTest, OneCycleHasNoRatesOrShares) {
  const GctraceSummary s =
      Summarize("gc 1 @0.035s 0%: 0+0.99+0 ms clock, 0+0/0/0+0 ms cpu, 4->5->1 MB, 5 MB goal, 12 P (forced)\n");
  EXPECT_EQ(s.cycles, 1);
  EXPECT_EQ(s.gaps, 0);
  EXPECT_EQ(s.cycles_per_sec, -1);
  EXPECT_EQ(s.gc_cpu_share, -1);
  EXPECT_EQ(s.gc_wall_share, -1);
  EXPECT_EQ(s.assist_share, -1);
  EXPECT_EQ(s.goal_over_prev_live_p50, -1);
  std::vector<std::string> texts;
  for (const Finding& f : s.findings) texts.push_back(f.text);
  EXPECT_EQ(texts, (std::vector<std::string>{
                       "stop-the-world per cycle: P99 0.000 ms, max 0.000 ms",
                       "1 cycle was forced by runtime.GC()",
                       "only 1 cycle: percentiles rest on few samples",
                   }));
}

// Which STW phase dominates is said only when one P99 is the larger.
TEST(GctraceAnalysisTest, StwFindingNamesTheLargerPhaseOnly) {
  auto stw_text = [](const std::string& clock) {
    std::string log;
    for (int i = 1; i <= 2; ++i) {
      log += "gc " + std::to_string(i) + " @" + std::to_string(i) + ".000s 1%: " + clock +
             " ms clock, 0.020+0.5/1.0/0+0.040 ms cpu, 8->9->4 MB, 8 MB goal, 2 P\n";
    }
    for (const Finding& f : Summarize(log).findings) {
      if (f.code == "stw") return f.text;
    }
    return std::string("none");
  };
  EXPECT_EQ(stw_text("0.010+1.0+0.030"),
            "stop-the-world per cycle: P99 0.040 ms, max 0.040 ms; mark termination P99 0.030 ms dominates");
  EXPECT_EQ(stw_text("0.050+1.0+0.030"),
            "stop-the-world per cycle: P99 0.080 ms, max 0.080 ms; sweep termination P99 0.050 ms dominates");
  EXPECT_EQ(stw_text("0.020+1.0+0.020"),
            "stop-the-world per cycle: P99 0.040 ms, max 0.040 ms; sweep and mark termination P99 alike (0.020 ms "
            "each)");
  EXPECT_EQ(stw_text("0+1.0+0"), "stop-the-world per cycle: P99 0.000 ms, max 0.000 ms");
}

// Assists are 90% of a GC that used 0.3% of capacity: worth a warning, not
// a CRITICAL (that needs GC CPU >= 5% of capacity).
TEST(GctraceAnalysisTest, NoCriticalWithoutGcCpuThatMatters) {
  std::string log;
  for (int i = 1; i <= 20; ++i) {
    log += "gc " + std::to_string(i) + " @" + std::to_string(i) +
           ".000s 0%: 0.010+600+0.010 ms clock, 0.010+5.4/0.58/0+0.010 ms cpu, "
           "300->305->290 MB, 300 MB goal, 0 MB stacks, 0 MB globals, 2 P\n";
  }
  const GctraceSummary s = Summarize(log);
  // 19 intervals of 2 P x 1 s, each with 6.0 ms of GC CPU.
  EXPECT_NEAR(s.gc_cpu_share, 19 * 6.0 / (19 * 2000.0), 1e-12);
  EXPECT_NEAR(s.assist_share, 5.4 / 6.0, 1e-12);
  EXPECT_NEAR(s.gc_wall_share, 20 * 600.02 / (19000.0 + 600.02), 1e-12);
  EXPECT_TRUE(HasFinding(s, "assist-heavy", Severity::kWarning));
  EXPECT_TRUE(HasFinding(s, "back-to-back", Severity::kWarning));
  EXPECT_TRUE(HasFinding(s, "limit-bound", Severity::kWarning));
  for (const Finding& f : s.findings) EXPECT_NE(f.severity, Severity::kCritical) << f.code << ": " << f.text;
}

// Gaps are counted between cycles of one process: 3 cycles in each of two
// runs make 4 gaps. A gap is the next @ minus this cycle's end (@ + its
// clock phases); under 10 ms counts.
TEST(GctraceAnalysisTest, CountsGapsBetweenCycleEndAndNextStart) {
  auto cycle = [](int n, const char* at, const char* mark_ms) {
    return fmt::format("gc {} @{}s 5%: 0.5+{}+0.5 ms clock, 1+1/1/0+1 ms cpu, 8->9->4 MB, 8 MB goal, 2 P\n", n, at,
                       mark_ms);
  };
  // Run 1: gc 1 ends at 0.101 s, gc 2 starts at 0.110 s (9 ms gap); gc 2
  // ends at 0.161 s, gc 3 starts at 0.171 s (10 ms: not under).
  // Run 2: gc 1 ends at 0.051 s, gc 2 at 0.051 s (0 ms); gc 2 ends at
  // 0.152 s, gc 3 at 0.150 s (-2 ms: the rounding of @, under).
  const GctraceSummary s = Summarize(cycle(1, "0.000", "100") + cycle(2, "0.110", "50") + cycle(3, "0.171", "1") +
                                     cycle(1, "0.000", "50") + cycle(2, "0.051", "100") + cycle(3, "0.150", "1"));
  EXPECT_EQ(s.segments, 2);
  EXPECT_EQ(s.gaps, 4);
  EXPECT_EQ(s.short_gaps, 3);
}

// Totals that would pass int64 leave that cycle out of every figure, with
// its line, instead of stopping at the limit: nine cycles of 10^18 ns of
// assists fit (9e18 < 2^63), the tenth does not.
TEST(GctraceAnalysisTest, CycleThatOverflowsTheTotalsIsLeftOut) {
  std::string log;
  for (int i = 1; i <= 11; ++i) {
    log += "gc " + std::to_string(i) + " @" + std::to_string(i) + ".000s 5%: 1+1+1 ms clock, 1+" +
           (i == 11 ? "1" : "1000000000000") + "/1/0+1 ms cpu, 8->9->4 MB, 8 MB goal, 2 P\n";
  }
  const GctraceSummary s = Summarize(log);
  EXPECT_EQ(s.cycles, 10);
  EXPECT_EQ(s.unsummed_cycles, 1);
  EXPECT_EQ(s.first_unsummed_line, 10);
  EXPECT_EQ(s.cpu_assist_ns, 9 * 1'000'000'000'000'000'000 + 1'000'000);
  EXPECT_TRUE(HasFinding(s, "unsummed", Severity::kWarning));
}

// A left-out cycle still counts as printed: the next cycle's number and
// interval follow on from it, not from the cycle before it. gc 10 of 11
// (at 1..11 s) is left out: no number is missing, and the intervals on
// either side of it (9-10 s, 10-11 s) are in no figure, since each side's
// GC CPU and gap would need its times: 8 intervals over 8 s. (It passes
// the idle total: nine cycles of 10^18 ns idle marking fit, the tenth does
// not; idle is no part of the GC CPU share.)
TEST(GctraceAnalysisTest, LeftOutCycleIsNotAMissingNumber) {
  std::string log;
  for (int i = 1; i <= 11; ++i) {
    log += "gc " + std::to_string(i) + " @" + std::to_string(i) + ".000s 5%: 1+1+1 ms clock, 1+1/1/" +
           (i <= 10 ? "1000000000000" : "0") + "+1 ms cpu, 8->9->4 MB, 8 MB goal, 2 P\n";
  }
  const GctraceSummary s = Summarize(log);
  EXPECT_EQ(s.cycles, 10);
  EXPECT_EQ(s.unsummed_cycles, 1);
  EXPECT_EQ(s.first_unsummed_line, 10);
  EXPECT_EQ(s.segments, 1);
  EXPECT_EQ(s.missing_cycles, 0);
  EXPECT_EQ(s.gaps, 8);
  EXPECT_EQ(s.span_ns, 8'000'000'000);
  EXPECT_DOUBLE_EQ(s.cycles_per_sec, 1.0);
  // 1 + 1 + 1 + 1 ms of GC CPU (idle 0) in each 1 s x 2 Ps.
  EXPECT_DOUBLE_EQ(s.gc_cpu_share, 4.0 / 2000);
  EXPECT_EQ(s.cpu_assist_ns, 10 * 1'000'000);
  EXPECT_EQ(s.cpu_idle_ns, 9 * 1'000'000'000'000'000'000);
}

// A left-out cycle that starts a process run still starts it: the run's
// next cycle is its second, not a cycle of the previous run's numbers.
TEST(GctraceAnalysisTest, LeftOutCycleStillStartsItsRun) {
  const std::string tail = " ms cpu, 8->9->4 MB, 8 MB goal, 2 P\n";
  std::string log;
  for (int i = 1; i <= 9; ++i) {
    log +=
        "gc " + std::to_string(i) + " @" + std::to_string(i) + ".000s 5%: 1+1+1 ms clock, 1+1000000000000/1/0+1" + tail;
  }
  // A new process: its gc 1 passes the assist total, its gc 2 fits; its
  // gc 12 at 20 s follows a gc 2 at 10 s, 9 numbers missing.
  log += "gc 1 @0.500s 5%: 1+1+1 ms clock, 1+1000000000000/1/0+1" + tail;
  log += "gc 2 @10.000s 5%: 1+1+1 ms clock, 1+1/1/0+1" + tail;
  log += "gc 12 @20.000s 5%: 1+1+1 ms clock, 1+1/1/0+1" + tail;
  const GctraceSummary s = Summarize(log);
  EXPECT_EQ(s.cycles, 11);
  EXPECT_EQ(s.unsummed_cycles, 1);
  EXPECT_EQ(s.first_unsummed_line, 10);
  EXPECT_EQ(s.segments, 2);
  EXPECT_EQ(s.missing_cycles, 9);
  EXPECT_EQ(s.gaps, 8 + 1);
  EXPECT_EQ(s.span_ns, 8'000'000'000 + 10'000'000'000);
}

// The table lists the GOMAXPROCS values seen once each, smallest first
// (docs/glossary.md), not in the order they appeared: 4, 2, 4 P.
TEST(GctraceAnalysisTest, GomaxprocsAreListedSmallestFirst) {
  std::string log;
  int n = 0;
  for (int procs : {4, 2, 4}) {
    ++n;
    log +=
        fmt::format("gc {} @{}.000s 5%: 1+1+1 ms clock, 1+1/1/0+1 ms cpu, 8->9->4 MB, 8 MB goal, {} P\n", n, n, procs);
  }
  const GctraceSummary s = Summarize(log);
  ASSERT_EQ(s.cycles, 3);
  ASSERT_EQ(s.segments, 1);
  EXPECT_NE(FormatGctraceTable(s, "gc.log").find("  GOMAXPROCS 2,4\n"), std::string::npos);
}

// The same for the span and the missing numbers: ten runs of ~10^18 ns
// each pass int64 at the tenth; two runs each skipping ~9e18 numbers pass
// it at the second.
TEST(GctraceAnalysisTest, SpanAndMissingNumbersNeverSaturate) {
  const std::string tail = "s 5%: 1+1+1 ms clock, 1+1/1/0+1 ms cpu, 8->9->4 MB, 8 MB goal, 2 P\n";
  std::string spans;
  for (int run = 0; run < 10; ++run) spans += "gc 1 @0" + tail + "gc 2 @999999999.999" + tail;
  const GctraceSummary a = Summarize(spans);
  EXPECT_EQ(a.cycles, 19);
  EXPECT_EQ(a.span_ns, 9 * 999'999'999'999'000'000);
  EXPECT_EQ(a.unsummed_cycles, 1);
  EXPECT_EQ(a.first_unsummed_line, 20);
  std::string numbers;
  for (int run = 0; run < 2; ++run) numbers += "gc 1 @0" + tail + "gc 9000000000000000000 @1" + tail;
  const GctraceSummary b = Summarize(numbers);
  EXPECT_EQ(b.missing_cycles, 8'999'999'999'999'999'998);
  EXPECT_EQ(b.unsummed_cycles, 1);
  EXPECT_EQ(b.first_unsummed_line, 4);
}

TEST(GctraceAnalysisTest, EmptyInput) {
  const GctraceSummary s = Summarize("hello\n");
  EXPECT_EQ(s.cycles, 0);
  EXPECT_EQ(s.gc_cpu_share, -1);
  ASSERT_EQ(s.findings.size(), 1u);
  EXPECT_EQ(s.findings[0].code, "no-cycles");
}

}  // namespace
}  // namespace gcpilot
