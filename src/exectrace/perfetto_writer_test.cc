#include "exectrace/perfetto_writer.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "exectrace/gc_interval_builder.h"
#include "exectrace/trace_event_test_util.h"

namespace gcpilot {
namespace {

using K = TraceEventKind;
using nlohmann::json;

TEST(MicrosText, IsExactNanoseconds) {
  EXPECT_EQ(MicrosText(0), "0.000");
  EXPECT_EQ(MicrosText(1'234'567), "1234.567");
  EXPECT_EQ(MicrosText(5), "0.005");
}

// One cycle on 2 Ps: an assist on P0, a dedicated worker on P1.
TEST(PerfettoWriter, WritesTracksSlicesAndTheHeapCounter) {
  testing::EventStream s;
  s.Add(K::kProcs, 0, 0, 0, 2)
      .Add(K::kHeapGoal, 0, 0, 0, 4 << 20)
      .Add(K::kGcBegin, 1000, 0, 1, 7)
      .Add(K::kStwBegin, 1000, 0, 1, 0, 0, "GC sweep termination")
      .Add(K::kStwEnd, 1500, 0, 1)
      .Add(K::kGoStart, 2000, 0, 3)
      .Add(K::kGoStart, 2000, 1, 9, 0, 0, "GC (dedicated)")
      .Add(K::kAssistBegin, 2100, 0, 3)
      .Add(K::kAssistEnd, 2600, 0, 3)
      .Add(K::kGoBlock, 4000, 1, 9)
      .Add(K::kHeapAlloc, 4100, 0, 3, 3 << 20)
      .Add(K::kStwBegin, 5000, 0, 1, 0, 0, "GC mark termination")
      .Add(K::kGcEnd, 5100, 0, 1, 7)
      .Add(K::kStwEnd, 5250, 0, 1);
  std::ostringstream out;
  PerfettoWriter writer(out);
  GcIntervalBuilder builder({&writer});
  s.Play(builder);
  const json doc = json::parse(out.str());
  std::vector<std::string> got;
  for (const json& e : doc["traceEvents"]) {
    std::string line = e["ph"].get<std::string>() + " " + e["name"].get<std::string>();
    if (e["ph"] == "M") line += " " + e["args"].dump();
    if (e["ph"] != "M") line += " tid=" + std::to_string(e["tid"].get<int>()) + " ts=" + e["ts"].dump();
    if (e["ph"] == "X") line += " dur=" + e["dur"].dump() + " " + e["args"].dump();
    if (e["ph"] == "C") line += " " + e["args"].dump();
    got.push_back(line);
  }
  EXPECT_EQ(got, (std::vector<std::string>{
                     R"(M process_name {"name":"Go GC"})",
                     R"(M thread_name {"name":"GC cycles"})",
                     R"(M thread_sort_index {"sort_index":1})",
                     R"(M thread_name {"name":"stop-the-world"})",
                     R"(M thread_sort_index {"sort_index":2})",
                     R"(C heap tid=0 ts=0.0 {"HeapGoal":4194304})",
                     R"(X GC sweep termination tid=2 ts=1.0 dur=0.5 {"cycle":1})",
                     R"(M thread_name {"name":"P 0"})",
                     R"(M thread_sort_index {"sort_index":100})",
                     R"(X mark assist tid=100 ts=2.1 dur=0.5 {"goroutine":3})",
                     R"(M thread_name {"name":"P 1"})",
                     R"(M thread_sort_index {"sort_index":101})",
                     R"(X GC worker (dedicated) tid=101 ts=2.0 dur=2.0 {"goroutine":9})",
                     R"(C heap tid=0 ts=4.1 {"HeapAlloc":3145728,"HeapGoal":4194304})",
                     R"(X GC mark termination tid=2 ts=5.0 dur=0.25 {"cycle":1})",
                     R"(X GC 1 tid=1 ts=1.0 dur=4.25 {"cycle":1,"gomaxprocs":2,"heap_goal_bytes":4194304})",
                     R"(X STW sweep termination tid=1 ts=1.0 dur=0.5 {})",
                     R"(X concurrent mark tid=1 ts=1.5 dur=3.5 {})",
                     R"(X STW mark termination tid=1 ts=5.0 dur=0.25 {})",
                 }));
  EXPECT_EQ(writer.events(), 10);
}

}  // namespace
}  // namespace gcpilot
