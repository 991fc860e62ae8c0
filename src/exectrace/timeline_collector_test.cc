#include "exectrace/timeline_collector.h"

#include <gtest/gtest.h>

#include "exectrace/gc_interval_builder.h"
#include "exectrace/trace_event_test_util.h"

namespace gcpilot {
namespace {

TEST(TimelineCollector, KeepsTheTraceAsAGcTimeline) {
  TimelineCollector collector({.monotonic_at_zero_ns = 5'000});
  GcIntervalBuilder builder({&collector});
  testing::TwoCycles().Play(builder);
  const GcTimeline& t = collector.timeline();
  EXPECT_EQ(t.clock, TimelineClock::kTrace);
  EXPECT_EQ(t.monotonic_at_zero_ns, 5'000);
  ASSERT_EQ(t.cycles.size(), 2u);
  EXPECT_EQ(t.cycles[0].start_ns, 100);
  EXPECT_EQ(t.cycles[1].start_ns, 1000);
  EXPECT_EQ(t.stw_pauses.size(), 5u);
  EXPECT_EQ(t.goroutine_spans.size(), 6u);  // 5 assists, 1 sweep
  EXPECT_EQ(t.procs_changes, (std::vector<ProcsChange>{{0, 1}}));
  EXPECT_EQ(collector.dropped(), 0);
}

// Cycles are handed on at their end; a cycle cut at the trace's end can
// close after a later one began only in a broken trace, but the timeline
// is in start order whatever the order they came in.
TEST(TimelineCollector, PutsCyclesInStartOrder) {
  TimelineCollector collector;
  GcCycle late, early;
  late.number = 2;
  late.start_ns = 500;
  early.number = 1;
  early.start_ns = 100;
  collector.OnCycle(late);
  collector.OnCycle(early);
  collector.OnEnd(600);
  ASSERT_EQ(collector.timeline().cycles.size(), 2u);
  EXPECT_EQ(collector.timeline().cycles[0].number, 1);
}

TEST(TimelineCollector, CapsTheFineSpansAndCountsWhatItDropped) {
  TimelineCollector collector({.max_spans = 2});
  for (int64_t i = 0; i < 5; ++i) {
    collector.OnGoroutineSpan({GoroutineGcSpan::Kind::kMarkAssist, {i, i + 1}, 7, 0});
    collector.OnHeap({i, 100 * i, 400});
  }
  collector.OnWorkerSpan({GcWorkerSpan::Mode::kIdle, {0, 9}, 1});
  collector.OnEnd(10);
  const GcTimeline& t = collector.timeline();
  EXPECT_EQ(t.goroutine_spans.size(), 2u);
  EXPECT_EQ(t.goroutine_spans[1].span, (TimeSpan{1, 2}));
  EXPECT_EQ(t.heap_samples.size(), 2u);
  EXPECT_EQ(t.worker_spans.size(), 1u);
  EXPECT_EQ(collector.dropped(), 6);
}

}  // namespace
}  // namespace gcpilot
