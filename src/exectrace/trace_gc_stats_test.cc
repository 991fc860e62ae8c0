#include "exectrace/trace_gc_stats.h"

#include <gtest/gtest.h>

#include "exectrace/assist_payers.h"
#include "exectrace/gc_interval_builder.h"
#include "exectrace/trace_event_test_util.h"

namespace gcpilot {
namespace {


TEST(TraceGcStats, CyclesStopTheWorldsAndAssists) {
  TraceGcStats stats;
  GcIntervalBuilder builder({&stats});
  testing::TwoCycles().Play(builder);
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
  testing::TwoCycles().Play(fanout);
  EXPECT_EQ(payers.Payers(), (std::vector<AssistPayer>{{"main.serve", 2, 3, 140},
                                                       {"(unknown)", 1, 1, 100},
                                                       {"main.batch", 1, 1, 10}}));
  EXPECT_EQ(payers.TopGoroutines(2), (std::vector<AssistGoroutine>{{2, "(unknown)", 1, 100}, {20, "main.serve", 2, 90}}));
}

}  // namespace
}  // namespace gcpilot
