#include "exectrace/trace_gc_stats.h"

#include <gtest/gtest.h>

#include "exectrace/assist_payers.h"
#include "exectrace/gc_interval_builder.h"
#include "exectrace/trace_event_test_util.h"

namespace gcpilot {
namespace {

using K = TraceEventKind;
using testing::EventStream;

// Two cycles on one P; goroutines 20 and 21 (made by main.serve) and 30
// (by main.batch) assist; goroutine 2 was there before the trace.
EventStream TwoCycles() {
  EventStream s;
  s.Add(K::kProcs, 0, 0, 0, 1)
      .Add(K::kGoCreate, 1, 0, 1, 20, 0, "", "main.serve")
      .Add(K::kGoCreate, 2, 0, 1, 21, 0, "", "main.serve")
      .Add(K::kGoCreate, 3, 0, 1, 30, 0, "", "main.batch")
      .Add(K::kGcBegin, 100, 0, 1, 1)
      .Add(K::kStwBegin, 100, 0, 1, 0, 0, "GC sweep termination")
      .Add(K::kStwEnd, 130, 0, 1)
      .Add(K::kAssistBegin, 200, 0, 20)
      .Add(K::kAssistEnd, 260, 0, 20)
      .Add(K::kAssistBegin, 300, 0, 30)
      .Add(K::kAssistEnd, 310, 0, 30)
      .Add(K::kStwBegin, 400, 0, 1, 0, 0, "GC mark termination")
      .Add(K::kGcEnd, 405, 0, 1, 1)
      .Add(K::kStwEnd, 410, 0, 1)
      .Add(K::kStwBegin, 500, 0, 1, 0, 0, "read mem stats")
      .Add(K::kStwEnd, 700, 0, 1)
      .Add(K::kGcBegin, 1000, 0, 1, 2)
      .Add(K::kStwBegin, 1000, 0, 1, 0, 0, "GC sweep termination")
      .Add(K::kStwEnd, 1020, 0, 1)
      .Add(K::kAssistBegin, 1100, 0, 21)
      .Add(K::kAssistEnd, 1150, 0, 21)
      .Add(K::kAssistBegin, 1200, 0, 20)
      .Add(K::kAssistEnd, 1230, 0, 20)
      .Add(K::kAssistBegin, 1300, 0, 2)
      .Add(K::kAssistEnd, 1400, 0, 2)
      .Add(K::kStwBegin, 1500, 0, 1, 0, 0, "GC mark termination")
      .Add(K::kGcEnd, 1501, 0, 1, 2)
      .Add(K::kStwEnd, 1540, 0, 1)
      .Add(K::kSweepBegin, 1600, 0, 1)
      .Add(K::kSweepEnd, 1700, 0, 1);
  return s;
}

TEST(TraceGcStats, CyclesStopTheWorldsAndAssists) {
  TraceGcStats stats;
  GcIntervalBuilder builder({&stats});
  TwoCycles().Play(builder);
  ASSERT_EQ(stats.cycles().size(), 2u);
  EXPECT_EQ(stats.cycles()[0].assists, 2);
  EXPECT_EQ(stats.cycles()[0].assist_ns, 70);
  EXPECT_EQ(stats.cycles()[0].stw_pauses, 2);
  EXPECT_EQ(stats.cycles()[1].assists, 3);
  EXPECT_EQ(stats.cycles()[1].assist_ns, 180);
  EXPECT_EQ(stats.cycles()[1].cycle.mark_ns, 480);
  const StwStats& stw = stats.stw();
  EXPECT_EQ(stw.count, 5);
  EXPECT_EQ(stw.total_ns, 30 + 10 + 200 + 20 + 40);
  EXPECT_EQ(stw.p50_ns, 30);
  EXPECT_EQ(stw.p99_ns, 200);
  EXPECT_EQ(stw.max_ns, 200);
  EXPECT_EQ(stw.by_reason, (std::vector<StwReasonStats>{{"read mem stats", 1, 200, 200},
                                                        {"GC mark termination", 2, 50, 40},
                                                        {"GC sweep termination", 2, 50, 30}}));
  EXPECT_EQ(stats.assists(), (GcSpanStats{5, 250, 100, 0}));
  EXPECT_EQ(stats.sweeps(), (GcSpanStats{1, 100, 100, 1}));
}

TEST(AssistPayers, GroupsAssistsByTheFunctionThatMadeTheGoroutine) {
  AssistPayers payers;
  GcIntervalBuilder builder({&payers});
  TraceFanout fanout({&payers, &builder});
  TwoCycles().Play(fanout);
  EXPECT_EQ(payers.Payers(), (std::vector<AssistPayer>{{"main.serve", 2, 3, 140},
                                                       {"(unknown)", 1, 1, 100},
                                                       {"main.batch", 1, 1, 10}}));
  EXPECT_EQ(payers.TopGoroutines(2), (std::vector<AssistGoroutine>{{2, "(unknown)", 1, 100}, {20, "main.serve", 2, 90}}));
}

}  // namespace
}  // namespace gcpilot
