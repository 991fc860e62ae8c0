#include "exectrace/trace_report.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "exectrace/mmu_svg.h"
#include "exectrace/trace_analyzer.h"
#include "exectrace/trace_event_test_util.h"

namespace gcpilot {
namespace {

// The two-cycle stream through every analysis, as `gcpilot trace` reads
// a 2000-byte v2 trace.
TraceAnalysis TwoCycleAnalysis() {
  TraceAnalyzer analyzer({.mmu_windows_ns = {100, 1000, 5000}});
  testing::TwoCycles().Play(*analyzer.sink());
  TraceReadResult read;
  read.go_minor = 22;
  read.v2 = true;
  read.bytes = 2000;
  read.events = 30;
  read.batches = 3;
  read.generations = 1;
  return analyzer.Finish(read);
}

std::string ReadGolden(const std::string& name, const std::string& got) {
  const std::string path = std::string(GCPILOT_SOURCE_DIR) + "/testdata/golden/" + name;
  // GCPILOT_REGEN=1 build/src/exectrace/exectrace_gc_test rewrites it.
  if (std::getenv("GCPILOT_REGEN")) std::ofstream(path, std::ios::binary) << got;
  std::ifstream in(path, std::ios::binary);
  std::stringstream want;
  want << in.rdbuf();
  return want.str();
}

TEST(TraceReport, TableMatchesItsGolden) {
  const std::string got = FormatTraceTable(TwoCycleAnalysis(), "two-cycles.trace");
  EXPECT_EQ(got, ReadGolden("exectrace_two_cycles_table.txt", got));
}

TEST(TraceReport, JsonHasTheAgreedKeys) {
  const nlohmann::json j = TraceAnalysisJson(TwoCycleAnalysis());
  EXPECT_EQ(j["trace"], nlohmann::json::parse(R"({"version":"go 1.22","format":2,"bytes":2000,"events":30,
      "batches":3,"generations":1,"duration_ns":1700,"truncated_at":null,"skipped_batches":0})"));
  EXPECT_EQ(j["counts"], nlohmann::json::parse(R"({"gc_cycles":2,"stw_pauses":5,"mark_assists":5,"sweeps":1,
      "goroutines":5,"tasks":0,"regions":0,"active_at_start":0,"cut":0})"));
  EXPECT_EQ(j["cycles"].size(), 2u);
  EXPECT_EQ(j["cycles"][1]["assists"], 3);
  EXPECT_EQ(j["stw"]["p99_ns"], 200);
  EXPECT_EQ(j["assists"]["payers"][0], nlohmann::json::parse(
                                           R"({"function":"main.serve","goroutines":2,"assists":3,"assist_ns":140})"));
  EXPECT_EQ(j["mmu"][0], nlohmann::json::parse(R"({"window_ns":100,"utilization":0.0,"worst_start_ns":1600})"));
  // No task in the trace: its goroutines' lives are the requests.
  EXPECT_EQ(j["requests"]["unit"], "goroutine");
  EXPECT_EQ(j["requests"]["slow_percentile"], 99.0);
}

TEST(TraceReport, CsvRowsPerItem) {
  const TraceAnalysis a = TwoCycleAnalysis();
  EXPECT_EQ(TraceCsv(a, TraceCsvKind::kCycles),
            "cycle,start_ns,sweep_term_ns,mark_ns,mark_term_ns,procs,heap_goal_bytes,assists,assist_ns\n"
            "1,100,30,270,10,1,-1,2,70\n"
            "2,1000,20,480,40,1,-1,3,180\n");
  EXPECT_EQ(TraceCsv(a, TraceCsvKind::kStw),
            "start_ns,duration_ns,reason,cycle\n"
            "100,30,GC sweep termination,1\n400,10,GC mark termination,1\n500,200,read mem stats,\n"
            "1000,20,GC sweep termination,2\n1500,40,GC mark termination,2\n");
  EXPECT_EQ(TraceCsv(a, TraceCsvKind::kAssists),
            "goroutine,assists,assist_ns,function\n2,1,100,(unknown)\n20,2,90,main.serve\n21,1,50,main.serve\n"
            "30,1,10,main.batch\n");
  EXPECT_EQ(TraceCsv(a, TraceCsvKind::kMmu),
            // One P: the GC's four STWs (100 ns; "read mem stats" is not the
            // GC's) and the sweep at 1600..1700 take it; the assisting
            // goroutines are never seen running.
            "window_ns,utilization,worst_start_ns\n100,0.000000,1600\n1000,0.840000,700\n"
            "5000,0.882353,0\n");
  EXPECT_EQ(ParseTraceCsvKind("payers"), TraceCsvKind::kPayers);
  EXPECT_EQ(ParseTraceCsvKind("gc"), std::nullopt);
}

TEST(MmuSvg, MatchesItsGolden) {
  const std::string got = MmuSvg(TwoCycleAnalysis().mmu, "MMU: two <cycles>");
  EXPECT_NE(got.find("MMU: two &lt;cycles&gt;"), std::string::npos);
  EXPECT_EQ(got, ReadGolden("exectrace_two_cycles_mmu.svg", got));
}

TEST(TraceSummary, TakesTheAnalysisCounts) {
  const TraceSummary s = ToTraceSummary(TwoCycleAnalysis());
  EXPECT_EQ(s.version, "go 1.22");
  EXPECT_EQ(s.gc_cycles, 2);
  EXPECT_EQ(s.stw_max_ns, 200);
  EXPECT_EQ(s.mark_assists, 5);
  EXPECT_EQ(s.assist_ns, 250);
  EXPECT_EQ(s.span, (TimeSpan{0, 1700}));
}

}  // namespace
}  // namespace gcpilot
