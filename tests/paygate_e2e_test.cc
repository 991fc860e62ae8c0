// The real gateway binary, started the way the tuner starts targets, with
// GODEBUG=gctrace=1: its GC log must parse completely, agree with the
// runtime's own /metrics counters, and the gateway must stop cleanly.
#include <filesystem>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "base/read_file.h"

#include "gclog/gctrace_analysis.h"
#include "gclog/gctrace_parser.h"
#include "net/http_get.h"
#include "runner/process.h"

namespace gcpilot {
namespace {

using namespace std::chrono_literals;

int64_t MetricValue(const std::string& text, const std::string& name) {
  const size_t at = text.find("\n" + name + " ");
  if (at == std::string::npos) return -1;
  return std::stoll(text.substr(at + name.size() + 2));
}

TEST(PaygateE2eTest, GctraceOfTheRealGatewayParsesAndMatchesItsMetrics) {
  const std::string dir = ::testing::TempDir() + "gcpilot_paygate_e2e";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string port_file = dir + "/port", log = dir + "/stderr.log";
  auto proc = Process::Start(
      {.argv = {GCPILOT_PAYGATE, "-addr", "127.0.0.1:0", "-port-file", port_file,
                "-live-mb", "48"},
       .env = {{"GODEBUG", "gctrace=1"}, {"GOMAXPROCS", "2"}, {"GOGC", "100"}},
       .stderr_path = log});
  ASSERT_TRUE(proc.ok()) << proc.status().message();

  // Ready: port file written, then /healthz 200 (bounded: 30 s).
  std::string healthz;
  LoopbackUrl base;
  for (int i = 0; i < 300 && healthz.empty(); ++i) {
    ASSERT_FALSE(proc->Poll().has_value()) << "gateway exited: " << ReadFileOrEmpty(log);
    const std::string port = ReadFileOrEmpty(port_file);
    if (!port.empty()) {
      base = *ParseLoopbackUrl("http://127.0.0.1:" + port.substr(0, port.find('\n')));
      base.path = "/healthz";
      auto r = HttpGet(base, 2s);
      if (r.ok() && r->status == 200) healthz = r->body;
    }
    if (healthz.empty()) std::this_thread::sleep_for(100ms);
  }
  // -live-mb 48 is 48 x 1024 prefilled orders.
  ASSERT_EQ(healthz, "ok orders=49152\n");

  // Three runtime.GC() calls through pprof: three "(forced)" cycles.
  base.path = "/debug/pprof/heap?gc=1";
  for (int i = 0; i < 3; ++i) {
    auto r = HttpGet(base, 10s);
    ASSERT_TRUE(r.ok()) << r.status().message();
    ASSERT_EQ(r->status, 200);
  }
  base.path = "/metrics";
  auto metrics = HttpGet(base, 10s);
  ASSERT_TRUE(metrics.ok()) << metrics.status().message();
  ASSERT_EQ(metrics->status, 200);
  const int64_t total = MetricValue(metrics->body, "go_gc_cycles_total_gc_cycles_total");
  EXPECT_EQ(MetricValue(metrics->body, "go_gc_cycles_forced_gc_cycles_total"), 3);
  EXPECT_EQ(MetricValue(metrics->body, "go_sched_gomaxprocs_threads"), 2);

  const ExitInfo exit = proc->Stop(10s);
  EXPECT_EQ(exit.Describe(), "exit 0");
  EXPECT_GT(exit.peak_rss_bytes, 48 << 20);

  const std::string text = ReadFileOrEmpty(log);
  GctraceAnalyzer analyzer;
  GctraceReader reader({.source_name = log, .strict = true},
                       [&](const GcCycle& c) { analyzer.Add(c); });
  ASSERT_TRUE(reader.Feed(text).ok());
  ASSERT_TRUE(reader.Finish().ok());
  const GctraceSummary s = analyzer.Summarize(reader.stats());
  // Every cycle the runtime counted up to the scrape was logged and parsed
  // (the scrape itself allocates little; no cycle runs after it).
  EXPECT_EQ(s.cycles, total);
  EXPECT_EQ(s.forced_cycles, 3);
  EXPECT_EQ(s.parse.malformed, 0);
  EXPECT_EQ(s.procs_seen, std::set<int32_t>{2});
  EXPECT_EQ(s.segments, 1);
  EXPECT_EQ(s.missing_cycles, 0);
  // The gateway's own lines: listening, ready, stopped.
  EXPECT_EQ(s.parse.other_lines, 3);
  EXPECT_NE(text.find("paygate: terminated: stopped after 0 audited requests"),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace gcpilot
