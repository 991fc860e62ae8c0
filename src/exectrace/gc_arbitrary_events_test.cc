// Every GC analysis on event streams no runtime would write: any kind in
// any order, garbage P and goroutine numbers, huge times and values. The
// decoders promise only time order; nothing after them may crash, hang or
// (under the sanitizer build) overflow.
#include <gtest/gtest.h>

#include <limits>
#include <sstream>

#include <nlohmann/json.hpp>

#include "exectrace/perfetto_writer.h"
#include "exectrace/trace_analyzer.h"
#include "exectrace/trace_event_test_util.h"
#include "exectrace/trace_report.h"

namespace gcpilot {
namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

testing::EventStream Arbitrary(uint64_t seed, int n) {
  testing::EventStream s;
  uint64_t x = seed;
  auto next = [&] { return x = x * 6364136223846793005ULL + 1442695040888963407ULL; };
  int64_t ns = 0;
  const int kinds = static_cast<int>(TraceEventKind::kRegionEnd) + 1;
  const char* texts[] = {"", "GC (dedicated)", "GC (idle)", "GC (fractional)", "GC sweep termination",
                         "GC mark termination", "x\"y\\z\n\xff\xfe"};
  for (int i = 0; i < n; ++i) {
    const uint64_t r = next();
    ns = SaturatingAdd(ns, (r >> 60) == 15 ? kMax / 4 : static_cast<int64_t>((r >> 20) % 1000));
    const auto kind = static_cast<TraceEventKind>((r >> 8) % kinds);
    const int32_t p = static_cast<int32_t>(next() % 6) - 1;
    const int64_t g = static_cast<int64_t>(next() % 8);
    const int64_t a = (next() >> 62) == 3 ? kMax : static_cast<int64_t>(next() % 9) - 1;
    s.Add(kind, ns, p, g, a, static_cast<int64_t>(next() % 6), texts[next() % 7], texts[next() % 7]);
  }
  return s;
}

TEST(GcAnalyses, SurviveArbitraryEventStreams) {
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    std::ostringstream perfetto;
    PerfettoWriter writer(perfetto);
    TraceAnalyzer analyzer({.keep_timeline = true, .extra_sinks = {&writer}});
    Arbitrary(seed, 3000).Play(*analyzer.sink());
    const TraceAnalysis a = analyzer.Finish({});
    EXPECT_EQ(a.counts.cycles, static_cast<int64_t>(a.cycles.size())) << seed;
    EXPECT_EQ(a.mmu.size(), 13u) << seed;
    for (const MmuPoint& p : a.mmu) EXPECT_TRUE(p.utilization >= 0 && p.utilization <= 1) << seed;
    EXPECT_NO_THROW(static_cast<void>(nlohmann::json::parse(perfetto.str()))) << seed;
    EXPECT_FALSE(FormatTraceTable(a, "x").empty());
    EXPECT_NO_THROW(static_cast<void>(TraceAnalysisJson(a).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
  }
}

}  // namespace
}  // namespace gcpilot
