#include "exectrace/gc_interval_builder.h"

#include <gtest/gtest.h>

#include "exectrace/trace_event_test_util.h"

namespace gcpilot {
namespace {

using K = TraceEventKind;
using SK = ProcGcSlice::Kind;
using testing::EventStream;
using testing::RecordingSink;

constexpr int64_t kU = GcCycle::kUnknown;
constexpr auto kRunning = static_cast<int64_t>(GoState::kRunning);

// GOMAXPROCS 2. Goroutine 1 runs on P0 and assists (descheduled once in
// the middle); goroutine 7 is a dedicated mark worker on P1; one cycle
// with both stop-the-worlds; a sweep after it; an assist left open.
EventStream OneCycle() {
  EventStream s;
  s.Add(K::kProcs, 0, 0, 0, 2)
      .Add(K::kGoStatus, 0, 0, 1, 1, kRunning)
      .Add(K::kGoCreate, 5, 0, 1, 7, 0, "", "runtime.gcBgMarkWorker")
      .Add(K::kGcBegin, 100, 0, 1, 1)
      .Add(K::kStwBegin, 110, 0, 1, 0, 0, "GC sweep termination")
      .Add(K::kStwEnd, 150, 0, 1)
      .Add(K::kGoStart, 200, 1, 7)
      .Add(K::kGoLabel, 201, 1, 7, 0, 0, "GC (dedicated)")
      .Add(K::kAssistBegin, 300, 0, 1, 0, 0, "", "runtime.mallocgc")
      .Add(K::kGoStop, 350, 0, 1, 0, 0, "preempted")
      .Add(K::kGoStart, 360, 0, 1)
      .Add(K::kAssistEnd, 400, 0, 1)
      .Add(K::kGoBlock, 500, 1, 7, 0, 0, "GC worker (idle)")
      .Add(K::kStwBegin, 600, 0, 1, 0, 0, "GC mark termination")
      .Add(K::kGcEnd, 610, 0, 1, 1)
      .Add(K::kStwEnd, 650, 0, 1)
      .Add(K::kSweepBegin, 700, 0, 1)
      .Add(K::kSweepEnd, 720, 0, 1, 8192, 4096)
      .Add(K::kAssistBegin, 800, 0, 1)
      .Add(K::kHeapAlloc, 900, 0, 1, 1000);
  return s;
}

TEST(GcIntervalBuilder, BuildsTheCycleFromItsStopTheWorlds) {
  RecordingSink rec;
  GcIntervalBuilder builder({&rec});
  OneCycle().Play(builder);
  ASSERT_EQ(rec.cycles.size(), 1u);
  const GcCycle& c = rec.cycles[0];
  EXPECT_EQ(c.number, 1);
  EXPECT_EQ(c.start_ns, 110);  // the sweep-termination STW, not GCBegin at 100
  EXPECT_EQ(c.sweep_term_ns, 40);
  EXPECT_EQ(c.mark_ns, 450);  // 150 .. 600
  EXPECT_EQ(c.mark_term_ns, 50);
  EXPECT_EQ(c.procs, 2);
  EXPECT_EQ(c.cpu_assist_ns, 90);        // on P0: 300..350 and 360..400
  EXPECT_EQ(c.cpu_background_ns, 299);   // P1 from the label at 201 to 500
  EXPECT_EQ(c.cpu_sweep_term_ns, 80);    // 40 ns x 2 Ps
  EXPECT_EQ(c.heap_live_bytes, kU);
  EXPECT_EQ(c.origin.source, GcSource::kExecTrace);
  EXPECT_EQ(c.origin.offset, 3 * 10 + 16);  // the GCBegin event
  EXPECT_EQ(rec.stws, (std::vector<StwPause>{{{110, 150}, "GC sweep termination", 1},
                                             {{600, 650}, "GC mark termination", 1}}));
  EXPECT_EQ(rec.end_ns, 900);
}

TEST(GcIntervalBuilder, HandsOnAssistsSweepsAndWorkers) {
  RecordingSink rec;
  GcIntervalBuilder builder({&rec});
  OneCycle().Play(builder);
  using GK = GoroutineGcSpan::Kind;
  EXPECT_EQ(rec.spans, (std::vector<GoroutineGcSpan>{{GK::kMarkAssist, {300, 400}, 1, 0, 1},
                                                     {GK::kSweep, {700, 720}, 1, 0, kU},
                                                     {GK::kMarkAssist, {800, 900}, 1, 0, kU}}));
  EXPECT_EQ(rec.workers, (std::vector<GcWorkerSpan>{{GcWorkerSpan::Mode::kDedicated, {200, 500}, 1}}));
  EXPECT_EQ(rec.heap, (std::vector<HeapSample>{{900, 1000, kU}}));
  EXPECT_EQ(rec.procs, (std::vector<ProcsChange>{{0, 2}}));
  EXPECT_EQ(builder.counts(), (GcIntervalCounts{.cycles = 1,
                                                .stw_pauses = 2,
                                                .mark_assists = 2,
                                                .sweeps = 1,
                                                .worker_spans = 1,
                                                .active_at_start = 0,
                                                .cut = 1}));
}

TEST(GcIntervalBuilder, SlicesEachPByTheGcWorkItRuns) {
  RecordingSink rec;
  GcIntervalBuilder builder({&rec});
  OneCycle().Play(builder);
  EXPECT_EQ(rec.slices, (std::vector<ProcGcSlice>{{SK::kMarkAssist, 0, 1, {300, 350}},
                                                  {SK::kMarkAssist, 0, 1, {360, 400}},
                                                  {SK::kDedicated, 1, 7, {201, 500}},
                                                  {SK::kSweep, 0, 1, {700, 720}},
                                                  {SK::kMarkAssist, 0, 1, {800, 900}}}));
  EXPECT_EQ(rec.steps, (std::vector<GcUtilizationStep>{{0, 0, 2},
                                                       {110, 2, 2},
                                                       {150, 0, 2},
                                                       {201, 1, 2},
                                                       {300, 2, 2},
                                                       {350, 1, 2},
                                                       {360, 2, 2},
                                                       {400, 1, 2},
                                                       {500, 0, 2},
                                                       {600, 2, 2},
                                                       {650, 0, 2},
                                                       {700, 1, 2},
                                                       {720, 0, 2},
                                                       {800, 1, 2}}));
}

// A v2 trace says what is under way at every generation's start: each
// interval is still one.
TEST(GcIntervalBuilder, CountsAnIntervalActiveAcrossGenerationsOnce) {
  EventStream s;
  s.Add(K::kProcs, 0, 0, 0, 1)
      .Add(K::kGcActive, 0, 0, 0, 4)
      .Add(K::kSweepActive, 0, 0, 0)
      .Add(K::kGoStatus, 0, 0, 0, 3, kRunning)
      .Add(K::kAssistActive, 0, 0, 3)
      .Add(K::kGcActive, 50, 0, 0, 4)  // the next generation
      .Add(K::kSweepActive, 50, 0, 0)
      .Add(K::kAssistActive, 50, 0, 3)
      .Add(K::kSweepEnd, 60, 0, 3)
      .Add(K::kAssistEnd, 70, 0, 3)
      .Add(K::kGcEnd, 80, 0, 3, 4);
  RecordingSink rec;
  GcIntervalBuilder builder({&rec});
  s.Play(builder);
  EXPECT_EQ(builder.counts(), (GcIntervalCounts{.cycles = 1,
                                                .stw_pauses = 0,
                                                .mark_assists = 1,
                                                .sweeps = 1,
                                                .worker_spans = 0,
                                                .active_at_start = 3,
                                                .cut = 0}));
  ASSERT_EQ(rec.cycles.size(), 1u);
  EXPECT_EQ(rec.cycles[0].number, 1);  // the trace's first cycle, whatever the wire's sequence (4)
  EXPECT_EQ(rec.cycles[0].start_ns, 0);
  EXPECT_EQ(rec.cycles[0].mark_ns, 80);
  using GK = GoroutineGcSpan::Kind;
  EXPECT_EQ(rec.spans, (std::vector<GoroutineGcSpan>{{GK::kSweep, {0, 60}, 3, 0, 1},
                                                     {GK::kMarkAssist, {0, 70}, 3, 0, 1}}));
}

// A v1 trace has no Active events: an end with nothing open began before
// the trace, and is counted from time 0.
TEST(GcIntervalBuilder, CountsAnEndWithoutABeginFromTheTraceStart) {
  EventStream s;
  s.Add(K::kGoStart, 10, 0, 9).Add(K::kAssistEnd, 20, 0, 9).Add(K::kStwEnd, 30, 0, 9);
  RecordingSink rec;
  GcIntervalBuilder builder({&rec});
  s.Play(builder);
  EXPECT_EQ(rec.spans, (std::vector<GoroutineGcSpan>{{GoroutineGcSpan::Kind::kMarkAssist, {0, 20}, 9, 0, kU}}));
  EXPECT_EQ(rec.stws, (std::vector<StwPause>{{{0, 30}, "unknown", kU}}));
  EXPECT_EQ(builder.counts().active_at_start, 2);
  EXPECT_TRUE(rec.steps.empty());  // GOMAXPROCS never said: no utilization
}

// Idle workers run only on Ps with nothing else to do: a slice, but no
// utilization lost. A non-GC stop-the-world takes nothing either (Go's MMU).
TEST(GcIntervalBuilder, IdleWorkersAndOtherStopTheWorldsTakeNoUtilization) {
  EventStream s;
  s.Add(K::kProcs, 0, 0, 0, 4)
      .Add(K::kGoStart, 10, 2, 11, 0, 0, "GC (idle)")  // v1: the label is GoStart's
      .Add(K::kStwBegin, 20, 0, 0, 0, 0, "read mem stats")
      .Add(K::kStwEnd, 25, 0, 0)
      .Add(K::kGoStart, 30, 3, 12, 0, 0, "GC (fractional)")
      .Add(K::kProcStop, 40, 3, 0)
      .Add(K::kGoEnd, 50, 2, 11);
  RecordingSink rec;
  GcIntervalBuilder builder({&rec});
  s.Play(builder);
  EXPECT_EQ(rec.workers, (std::vector<GcWorkerSpan>{{GcWorkerSpan::Mode::kFractional, {30, 40}, 3},
                                                    {GcWorkerSpan::Mode::kIdle, {10, 50}, 2}}));
  EXPECT_EQ(rec.slices, (std::vector<ProcGcSlice>{{SK::kFractional, 3, 12, {30, 40}}, {SK::kIdle, 2, 11, {10, 50}}}));
  EXPECT_EQ(rec.steps, (std::vector<GcUtilizationStep>{{0, 0, 4}, {30, 1, 4}, {40, 0, 4}}));
  EXPECT_EQ(rec.stws, (std::vector<StwPause>{{{20, 25}, "read mem stats", kU}}));
}

TEST(GcIntervalBuilder, ClosesWhatIsOpenAtTheLastEventAndCountsItCut) {
  EventStream s;
  s.Add(K::kProcs, 0, 0, 0, 1)
      .Add(K::kGcBegin, 10, 0, 1, 1)
      .Add(K::kStwBegin, 20, 0, 1, 0, 0, "GC sweep termination")
      .Add(K::kStwEnd, 30, 0, 1)
      .Add(K::kGoStart, 40, 0, 5, 0, 0, "GC (dedicated)")
      .Add(K::kSweepBegin, 45, 1, 0)
      .Add(K::kStwBegin, 50, 0, 1, 0, 0, "GC mark termination");
  RecordingSink rec;
  GcIntervalBuilder builder({&rec});
  s.Play(builder);
  EXPECT_EQ(builder.counts().cut, 4);  // the sweep, the worker, the STW, the cycle
  ASSERT_EQ(rec.cycles.size(), 1u);
  EXPECT_EQ(rec.cycles[0].mark_ns, 20);
  EXPECT_EQ(rec.cycles[0].mark_term_ns, 0);
  EXPECT_EQ(rec.stws.back(), (StwPause{{50, 50}, "GC mark termination", 1}));
  EXPECT_EQ(rec.workers, (std::vector<GcWorkerSpan>{{GcWorkerSpan::Mode::kDedicated, {40, 50}, 0}}));
}

}  // namespace
}  // namespace gcpilot
