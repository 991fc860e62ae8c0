#include "exectrace/request_attribution.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "exectrace/request_tally.h"

namespace gcpilot {
namespace {

using K = TraceEventKind;

// Times in microseconds, so durations land in distinct histogram buckets.
struct Ev {
  K kind;
  int64_t us;
  int64_t g = 0, a = 0, b = 0;
  std::string text = {}, function = {};
};

TraceAttribution Attribute(const std::vector<Ev>& events, RequestAttributionOptions options = {}) {
  RequestAttributor attributor(options);
  attributor.OnStart(TraceInfo{.go_minor = 26, .v2 = true});
  for (const Ev& ev : events) {
    TraceEvent e{.kind = ev.kind, .p = 0, .g = ev.g, .ns = ev.us * 1000, .a = ev.a, .b = ev.b};
    e.text = ev.text;
    e.function = ev.function;
    attributor.OnEvent(e);
  }
  attributor.OnFinish();
  return attributor.result();
}

const TracedRequest* Find(const TraceAttribution& a, int64_t id) {
  for (const TracedRequest& r : a.slowest) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

// Two tasks on two goroutines, one nested in the first, through a GC cycle
// with a stop-the-world inside it and a mark assist around that.
std::vector<Ev> TwoHandlersThroughACycle() {
  return {
      {K::kGoCreate, 0, 1, 5, 0, "", "main.handle"},
      {K::kGoCreate, 0, 1, 6, 0, "", "main.handle"},
      {K::kGoStart, 100, 5},
      {K::kTaskBegin, 110, 5, 1, 0, "pay"},
      {K::kGoStart, 115, 6},
      {K::kTaskBegin, 120, 6, 2, 0, "refund"},
      {K::kGoBlock, 130, 6, 0, 0, "network"},
      {K::kGoBlock, 200, 5, 0, 0, "network"},
      {K::kGoUnblock, 500, 2, 5},
      {K::kGcBegin, 600},
      {K::kGoStart, 700, 5},
      {K::kTaskBegin, 720, 5, 3, 1, "order"},
      {K::kAssistBegin, 750, 5, 0, 0, "", "runtime.mallocgc"},
      {K::kStwBegin, 800, 0, 0, 0, "GC mark termination"},
      {K::kStwEnd, 850},
      {K::kAssistEnd, 900, 5},
      {K::kGoSyscall, 950, 5},
      {K::kGoSyscallEnd, 1000, 5},
      {K::kTaskEnd, 1050, 5, 3},
      {K::kGoStop, 1100, 5, 0, 0, "preempted"},
      {K::kGoStart, 1200, 5},
      {K::kGoUnblock, 1250, 2, 6},
      {K::kGoStart, 1280, 6},
      {K::kTaskEnd, 1290, 6, 2},
      {K::kGcEnd, 1300},
      {K::kTaskEnd, 1310, 5, 1},
  };
}

TEST(RequestAttributor, SplitsATaskByWhatItsGoroutineDid) {
  const TraceAttribution a = Attribute(TwoHandlersThroughACycle());
  EXPECT_EQ(a.unit, TraceAttribution::Unit::kTask);
  EXPECT_EQ(a.requests, 3);
  const TracedRequest* pay = Find(a, 1);
  ASSERT_NE(pay, nullptr);
  EXPECT_EQ(pay->name, "pay");
  EXPECT_EQ(pay->span, (TimeSpan{110'000, 1'310'000}));
  // 110-200 running, 200-500 blocked, 500-700 runnable (600-700 in mark),
  // 700-750 running, 750-800 assist, 800-850 STW, 850-900 assist, 900-950
  // running, 950-1000 syscall, 1000-1100 running, 1100-1200 runnable (in
  // mark), 1200-1310 running.
  EXPECT_EQ(pay->split, (RequestTimeSplit{.running_ns = 400'000,
                                          .assist_ns = 100'000,
                                          .runnable_ns = 300'000,
                                          .runnable_in_mark_ns = 200'000,
                                          .stw_ns = 50'000,
                                          .blocked_ns = 300'000,
                                          .syscall_ns = 50'000}));
  EXPECT_EQ(RequestWallNs(pay->split), pay->span.duration_ns());
}

TEST(RequestAttributor, AStopTheWorldTakesABlockedGoroutinesTimeToo) {
  const TraceAttribution a = Attribute(TwoHandlersThroughACycle());
  const TracedRequest* refund = Find(a, 2);
  ASSERT_NE(refund, nullptr);
  EXPECT_EQ(refund->split, (RequestTimeSplit{.running_ns = 20'000,
                                             .runnable_ns = 30'000,
                                             .runnable_in_mark_ns = 30'000,
                                             .stw_ns = 50'000,
                                             .blocked_ns = 1'070'000}));
  EXPECT_EQ(RequestWallNs(refund->split), refund->span.duration_ns());
}

TEST(RequestAttributor, ANestedTaskIsARequestOfItsOwn) {
  const TraceAttribution a = Attribute(TwoHandlersThroughACycle());
  const TracedRequest* order = Find(a, 3);
  ASSERT_NE(order, nullptr);
  EXPECT_EQ(order->name, "order");
  EXPECT_EQ(order->split, (RequestTimeSplit{.running_ns = 130'000, .assist_ns = 100'000, .stw_ns = 50'000,
                                            .syscall_ns = 50'000}));
  // Slowest first: pay (1.2 ms), refund (1.17 ms), order (0.33 ms).
  ASSERT_EQ(a.slowest.size(), 3u);
  EXPECT_EQ(a.slowest[0].id, 1);
  EXPECT_EQ(a.slowest[1].id, 2);
  EXPECT_EQ(a.slowest[2].id, 3);
  EXPECT_EQ(a.all_total.stw_ns, 150'000);
  EXPECT_EQ(RequestWallNs(a.all_total), 1'200'000 + 1'170'000 + 330'000);
}

TEST(RequestAttributor, CountsWhatTheSlowRequestsMet) {
  const TraceAttribution a = Attribute(TwoHandlersThroughACycle(), {.slow_percentile = 50});
  // The 2nd of 3 durations is the P50: 1.17 ms, to the top of its bucket.
  EXPECT_EQ(a.threshold_ns, 1'170'431);
  EXPECT_EQ(a.slow, 1);
  EXPECT_EQ(a.slow_met_stw, 1);
  EXPECT_EQ(a.slow_assisted, 1);
  EXPECT_EQ(a.slow_runnable_in_mark, 1);
  EXPECT_EQ(a.slow_total, Find(a, 1)->split);

  const TraceAttribution low = Attribute(TwoHandlersThroughACycle(), {.slow_percentile = 30});
  EXPECT_EQ(low.slow, 2);
  EXPECT_EQ(low.slow_met_stw, 2);
  EXPECT_EQ(low.slow_assisted, 1);  // refund's goroutine never assisted
  EXPECT_EQ(low.slow_runnable_in_mark, 2);
}

TEST(RequestAttributor, KeepsOnlyTheSlowestAskedFor) {
  const TraceAttribution a = Attribute(TwoHandlersThroughACycle(), {.keep = 1});
  EXPECT_EQ(a.requests, 3);
  ASSERT_EQ(a.slowest.size(), 1u);
  EXPECT_EQ(a.slowest[0].id, 1);
  EXPECT_EQ(RequestWallNs(a.all_total), 1'200'000 + 1'170'000 + 330'000);
}

TEST(RequestAttributor, ATaskThatBeganBeforeTheTraceIsNotARequest) {
  const TraceAttribution a = Attribute({
      {K::kGoStatus, 0, 0, 5, static_cast<int64_t>(GoState::kRunning)},
      {K::kTaskEnd, 10, 5, 77},
      {K::kTaskBegin, 20, 5, 78, 0, "pay"},
      {K::kTaskEnd, 30, 5, 78},
  });
  EXPECT_EQ(a.unit, TraceAttribution::Unit::kTask);
  EXPECT_EQ(a.requests, 1);
  ASSERT_EQ(a.slowest.size(), 1u);
  EXPECT_EQ(a.slowest[0].id, 78);
  EXPECT_EQ(a.slowest[0].split, (RequestTimeSplit{.running_ns = 10'000}));
}

TEST(RequestAttributor, ATaskOutlivingItsGoroutineWaitsAsBlocked) {
  const TraceAttribution a = Attribute({
      {K::kGoStart, 0, 5},
      {K::kTaskBegin, 10, 5, 1, 0, "pay"},
      {K::kGoEnd, 40, 5},
      {K::kGoStart, 50, 9},
      {K::kTaskEnd, 100, 9, 1},
  });
  ASSERT_EQ(a.slowest.size(), 1u);
  EXPECT_EQ(a.slowest[0].split, (RequestTimeSplit{.running_ns = 30'000, .blocked_ns = 60'000}));
}

// Without a task, every goroutine's life is a request: from its creation
// (or first sight) to its end; GC workers and runtime goroutines are not.
TEST(RequestAttributor, WithoutTasksGoroutineLivesAreTheRequests) {
  const TraceAttribution a = Attribute({
      {K::kGoStatus, 0, 0, 3, static_cast<int64_t>(GoState::kWaiting)},
      {K::kGoCreate, 10, 1, 5, 0, "", "main.worker"},
      {K::kGoCreate, 10, 1, 6, 0, "", "runtime.bgsweep"},
      {K::kGoStart, 20, 7, 0, 0, "GC (dedicated)"},
      {K::kGoStart, 30, 6},
      {K::kGoEnd, 35, 6},
      {K::kGoEnd, 40, 7},
      {K::kGoStart, 50, 5},
      {K::kGoUnblock, 60, 5, 3},
      {K::kGoEnd, 80, 5},
      {K::kGoStart, 90, 3},
      {K::kGoEnd, 100, 3},
      {K::kGoCreate, 100, 1, 8, 0, "", "main.never"},
  });
  EXPECT_EQ(a.unit, TraceAttribution::Unit::kGoroutine);
  EXPECT_EQ(a.requests, 2);
  ASSERT_EQ(a.slowest.size(), 2u);
  EXPECT_EQ(a.slowest[0].name, "(unknown)");
  EXPECT_EQ(a.slowest[0].id, 3);
  EXPECT_EQ(a.slowest[0].span, (TimeSpan{0, 100'000}));
  EXPECT_EQ(a.slowest[0].split, (RequestTimeSplit{.running_ns = 10'000, .runnable_ns = 30'000, .blocked_ns = 60'000}));
  EXPECT_EQ(a.slowest[1].name, "main.worker");
  EXPECT_EQ(a.slowest[1].split, (RequestTimeSplit{.running_ns = 30'000, .runnable_ns = 40'000}));
}

TEST(RequestAttributor, AGcWorkerLabelledAfterItStartsIsNoRequest) {
  const TraceAttribution a = Attribute({
      {K::kGoStart, 0, 7},
      {K::kGoLabel, 0, 7, 0, 0, "GC (fractional)"},
      {K::kGoEnd, 40, 7},
  });
  EXPECT_EQ(a.requests, 0);
}

// Whatever the events, each request's parts add up to its wall time.
TEST(RequestAttributor, ThePartsAlwaysAddUpToTheWallTime) {
  std::mt19937 rng(11);
  const K kinds[] = {K::kGoStart,     K::kGoStop,      K::kGoBlock,   K::kGoUnblock, K::kGoSyscall,
                     K::kGoSyscallEnd, K::kGoSyscallBlocked, K::kAssistBegin, K::kAssistEnd, K::kStwBegin,
                     K::kStwEnd,      K::kGcBegin,     K::kGcEnd,     K::kTaskBegin, K::kTaskEnd,
                     K::kGoEnd,       K::kGoCreate,    K::kGoStatus};
  std::vector<Ev> events;
  int64_t us = 0;
  for (int i = 0; i < 20'000; ++i) {
    us += rng() % 50;
    const K kind = kinds[rng() % std::size(kinds)];
    const int64_t g = 1 + rng() % 8, other = 1 + rng() % 40;
    events.push_back({kind, us, g, kind == K::kTaskBegin || kind == K::kTaskEnd ? int64_t(rng() % 30) : other,
                      int64_t(rng() % 6), "t"});
  }
  const TraceAttribution a = Attribute(events, {.slow_percentile = 90, .keep = 100'000});
  ASSERT_GT(a.requests, 100);
  ASSERT_EQ(static_cast<int64_t>(a.slowest.size()), a.requests);
  int64_t wall = 0, slow_wall = 0;
  for (const TracedRequest& r : a.slowest) {
    EXPECT_EQ(RequestWallNs(r.split), r.span.duration_ns()) << r.id;
    EXPECT_LE(r.split.runnable_in_mark_ns, r.split.runnable_ns);
    wall += r.span.duration_ns();
    if (r.span.duration_ns() > a.threshold_ns) slow_wall += r.span.duration_ns();
  }
  EXPECT_EQ(RequestWallNs(a.all_total), wall);
  EXPECT_EQ(RequestWallNs(a.slow_total), slow_wall);
}

// A stop-the-world that is not the GC's (the trace's own start, a
// ReadMemStats) is no GC cost: the running task stays running through it.
TEST(RequestAttributor, OnlyTheGcsStopTheWorldsCountAsStw) {
  std::vector<Ev> events = TwoHandlersThroughACycle();
  for (Ev& e : events) {
    if (e.kind == K::kStwBegin) e.text = "read mem stats";
  }
  const TraceAttribution a = Attribute(events);
  const TracedRequest* pay = Find(a, 1);
  ASSERT_NE(pay, nullptr);
  // 800-850 is now the assist it was in (750-900 assist).
  EXPECT_EQ(pay->split.stw_ns, 0);
  EXPECT_EQ(pay->split.assist_ns, 150'000);
  EXPECT_EQ(a.all_total.stw_ns, 0);
  EXPECT_EQ(a.slow_met_stw, 0);
}

// Timestamps a corrupt trace could carry: no overflow, the sums held at
// INT64_MAX, every request still split whole.
TEST(RequestAttributor, HugeTimesSaturateTheSums) {
  RequestAttributor attributor({.keep = 10});
  attributor.OnStart(TraceInfo{});
  const int64_t end = INT64_MAX - 1;
  attributor.OnEvent({.kind = K::kGoStart, .g = 5, .ns = 0});
  attributor.OnEvent({.kind = K::kTaskBegin, .g = 5, .ns = 0, .a = 1});
  attributor.OnEvent({.kind = K::kTaskBegin, .g = 5, .ns = 0, .a = 2});
  attributor.OnEvent({.kind = K::kStwBegin, .ns = 1, .text = "GC sweep termination"});
  attributor.OnEvent({.kind = K::kTaskEnd, .g = 5, .ns = end, .a = 1});
  attributor.OnEvent({.kind = K::kTaskEnd, .g = 5, .ns = end, .a = 2});
  const int64_t ns = end;
  attributor.OnEvent({.kind = K::kGoStatus, .ns = ns, .a = 5, .b = 99});  // no such state: ignored
  attributor.OnFinish();
  const TraceAttribution& a = attributor.result();
  EXPECT_EQ(a.requests, 2);
  EXPECT_EQ(a.all_total.stw_ns, INT64_MAX);  // 2 x (INT64_MAX - 2)
  EXPECT_EQ(a.all_total.running_ns, 2);
  for (const TracedRequest& r : a.slowest) EXPECT_EQ(RequestWallNs(r.split), r.span.duration_ns());
}

}  // namespace
}  // namespace gcpilot
